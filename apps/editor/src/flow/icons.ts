/**
 * Node definitions name lucide icons (`definition.icon`); this is the one place that turns those names into
 * the components the editor draws. Triggers are Stripe events, so they wear the Stripe mark.
 */
import {
  CircleDot,
  CreditCard,
  Filter,
  GitBranch,
  Globe,
  ListPlus,
  type LucideIcon,
  type LucideProps,
  Mail,
  OctagonX,
  Pencil,
  Repeat,
  ScrollText,
  Search,
  Split,
  Table,
  Trash2,
  Variable,
  Zap,
} from 'lucide-react';
import { createElement, type ReactElement } from 'react';

const ICONS: Readonly<Record<string, LucideIcon>> = {
  zap: Zap,
  split: Split,
  'git-branch': GitBranch,
  filter: Filter,
  repeat: Repeat,
  variable: Variable,
  'scroll-text': ScrollText,
  'octagon-x': OctagonX,
  table: Table,
  'list-plus': ListPlus,
  pencil: Pencil,
  'trash-2': Trash2,
  search: Search,
  globe: Globe,
  'credit-card': CreditCard,
  mail: Mail,
};

/** The Stripe "S" mark (the simple-icons path, CC0), drawn in the current colour. */
export function StripeMark({ size = 16 }: { size?: number }): ReactElement {
  return createElement(
    'svg',
    { viewBox: '0 0 24 24', width: size, height: size, fill: 'currentColor', 'aria-hidden': true, role: 'img' },
    createElement('path', {
      d: 'M13.976 9.15c-2.172-.806-3.356-1.426-3.356-2.409 0-.831.683-1.305 1.901-1.305 2.227 0 4.515.858 6.09 1.631l.89-5.494C18.252.975 15.697 0 12.165 0 9.667 0 7.589.654 6.104 1.872 4.56 3.147 3.757 4.992 3.757 7.218c0 4.039 2.467 5.76 6.476 7.219 2.585.92 3.445 1.574 3.445 2.583 0 .98-.84 1.545-2.354 1.545-1.875 0-4.965-.921-6.99-2.109l-.9 5.555C5.175 22.99 8.385 24 11.714 24c2.641 0 4.843-.624 6.328-1.813 1.664-1.305 2.525-3.236 2.525-5.732 0-4.128-2.524-5.851-6.594-7.305h.003z',
    }),
  );
}

/** Whether a lucide icon name has a component here (names not mapped fall back to a neutral dot). */
export const hasIcon = (icon: string | undefined): boolean => !!icon && icon in ICONS;

/** The icon element for a node: the Stripe mark for triggers, else the definition's lucide icon. */
export function iconElement(icon: string | undefined, opts: { trigger?: boolean; size?: number } = {}): ReactElement {
  const size = opts.size ?? 16;
  if (opts.trigger) return createElement(StripeMark, { size: size - 2 });
  const props: LucideProps = { size, strokeWidth: 2, 'aria-hidden': true };
  return createElement((icon && ICONS[icon]) || CircleDot, props);
}
