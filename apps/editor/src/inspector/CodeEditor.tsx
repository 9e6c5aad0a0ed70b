/** The CodeMirror editor, loaded when first shown: it stays out of the first-load bundle. */
import { createContext, lazy, Suspense, useContext } from 'react';
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
  readOnly?: boolean;
}

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor.js'));

/**
 * Set where the form is read-only (an execution view): a disabled <fieldset> disables native inputs, not
 * CodeMirror's editable area.
 */
export const CodeReadOnly = createContext(false);

export function CodeEditor(props: CodeEditorProps) {
  const readOnly = useContext(CodeReadOnly);
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
      <CodeMirrorEditor {...props} readOnly={readOnly} />
    </Suspense>
  );
}
