/**
 * Node definitions name lucide icons (`definition.icon`); until the editor renders lucide itself, this is
 * the one place that turns those names into the glyphs it shows.
 */
const GLYPHS: Readonly<Record<string, string>> = {
  zap: '⚡',
  split: '⇉',
  'git-branch': '◇',
  filter: '▽',
  repeat: '↻',
  variable: '≔',
  'scroll-text': '✎',
  'octagon-x': '✕',
  table: '⊞',
  'list-plus': '⊕',
  pencil: '⟳',
  'trash-2': '⊖',
  search: '≡',
  globe: '↗',
  'credit-card': 'S',
  mail: '✉',
};

/** A glyph for a lucide icon name; a neutral dot for names not mapped yet. */
export function glyphOf(icon: string | undefined): string {
  return (icon && GLYPHS[icon]) || '●';
}
