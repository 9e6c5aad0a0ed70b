/** The CodeMirror editor, loaded when first shown: it stays out of the first-load bundle. */
import { lazy, Suspense } from 'react';
import type { PathSuggestion } from './contextPaths.js';

export interface CodeEditorProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  language?: string | undefined;
  /** An expression field: one line, Enter never breaks it. */
  singleLine?: boolean;
  /** `{{ }}` completions; none where the field is not template-rendered. */
  paths?: readonly PathSuggestion[] | undefined;
  placeholder?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
  /** The accessible name of the editable area. */
  label?: string | undefined;
}

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor.js'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={
        <textarea
          className="expr-input code"
          aria-label={props.label}
          aria-busy="true"
          readOnly
          rows={props.singleLine ? 1 : 6}
          value={props.value}
        />
      }
    >
      <CodeMirrorEditor {...props} />
    </Suspense>
  );
}
