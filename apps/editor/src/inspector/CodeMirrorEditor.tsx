/**
 * CodeMirror 6 for the inspector: a JSON editor (with `{{ }}` templates inside its string values) and a
 * single-line expression editor, both completing `{{ }}` paths from the sample event. Loaded on demand
 * through `CodeEditor.tsx`, so none of it is in the first-load bundle.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo } from 'react';
import type { CodeEditorProps } from './CodeEditor.js';
import { openExpressionAt, type PathSuggestion, suggest } from './contextPaths.js';

function pathCompletions(paths: () => readonly PathSuggestion[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const text = ctx.state.doc.toString();
    const at = openExpressionAt(text, ctx.pos);
    if (!at) return null;
    if (at.fragment === '' && !ctx.explicit && !/\{\{\s*$/.test(text.slice(0, ctx.pos))) return null;
    const after = text.slice(ctx.pos);
    const closes = /^[^{]*\}\}/.test(after);
    const options = suggest(paths(), at.fragment, 30).map((s) => ({
      label: s.path,
      detail: s.preview,
      apply: closes ? s.path : `${s.path} }}`,
    }));
    return { from: at.start, options, filter: false };
  };
}

// One line: Enter does not break it (it accepts a completion instead), pasted newlines become spaces.
const singleLine: Extension = [
  EditorState.transactionFilter.of((tr) => (tr.newDoc.lines > 1 ? [] : tr)),
  keymap.of([{ key: 'Enter', run: () => true }]),
];

const theme = EditorView.theme({
  '&': { fontSize: '12.5px', border: '1px solid var(--border, #d0d5dd)', borderRadius: '6px', background: '#fff' },
  '&.cm-focused': { outline: '2px solid var(--accent, #4f46e5)', outlineOffset: '-1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', padding: '5px 0' },
  '.cm-gutters': { background: '#f8f9fb', borderRight: '1px solid #eceef2', color: '#98a2b3' },
  '.cm-tooltip-autocomplete ul li': { fontFamily: 'ui-monospace, monospace', fontSize: '12px' },
  '.cm-completionDetail': { marginLeft: '8px', color: '#667085', fontStyle: 'normal' },
});

export default function CodeMirrorEditor({
  id,
  value,
  onChange,
  language,
  singleLine: oneLine,
  paths,
  placeholder,
  invalid,
  describedBy,
  label,
  readOnly = false,
}: CodeEditorProps) {
  const extensions = useMemo(() => {
    const ext: Extension[] = [theme, EditorView.contentAttributes.of(contentAttrs(id, label, invalid, describedBy))];
    if (language === 'json') ext.push(json());
    if (oneLine) ext.push(singleLine);
    else ext.push(EditorView.lineWrapping);
    if (paths) ext.push(autocompletion({ override: [pathCompletions(() => paths)], activateOnTyping: true }));
    if (placeholder) ext.push(placeholderExt(placeholder));
    return ext;
  }, [id, label, invalid, describedBy, language, oneLine, paths, placeholder]);
  return (
    <CodeMirror
      className={`code-editor${oneLine ? ' single-line' : ''}`}
      value={value}
      onChange={onChange}
      extensions={extensions}
      editable={!readOnly}
      readOnly={readOnly}
      basicSetup={
        oneLine
          ? { lineNumbers: false, foldGutter: false, highlightActiveLine: false, highlightActiveLineGutter: false }
          : { foldGutter: false, highlightActiveLine: false }
      }
      minHeight={oneLine ? undefined : '96px'}
      maxHeight={oneLine ? undefined : '320px'}
    />
  );
}

function contentAttrs(id: string, label: string | undefined, invalid?: boolean, describedBy?: string) {
  const attrs: Record<string, string> = { id, 'data-editor-id': id };
  if (label) attrs['aria-label'] = label;
  if (invalid) attrs['aria-invalid'] = 'true';
  if (describedBy) attrs['aria-describedby'] = describedBy;
  return attrs;
}
