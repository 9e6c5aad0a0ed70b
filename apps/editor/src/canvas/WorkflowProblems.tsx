import type { ValidationIssue } from '@switchyard/engine';
import { useShallow } from 'zustand/react/shallow';
import { useCanvasStore } from './store/context.js';

/** With no node selected: how to edit, and the workflow's problems and warnings. */
export function WorkflowProblems() {
  const { errors, warnings, readOnly } = useCanvasStore(
    useShallow((s) => ({ errors: s.errors, warnings: s.validation.warnings, readOnly: s.readOnly })),
  );
  return (
    <section className="problems" aria-label="Problems">
      {!readOnly && (
        <p className="muted small">
          Select a node to edit it. Drag from an output handle to an input to connect; Delete removes the selection;
          Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+C / Ctrl+V copy and paste.
        </p>
      )}
      {errors.length === 0 && warnings.length === 0 && <p className="ok">No problems.</p>}
      <IssueList title={`Problems (${errors.length})`} issues={errors} className="issues" />
      <IssueList title="Warnings" issues={warnings} className="issues warn" />
    </section>
  );
}

function IssueList({
  title,
  issues,
  className,
}: {
  title: string;
  issues: readonly ValidationIssue[];
  className: string;
}) {
  if (issues.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className={className}>
        {issues.map((i) => (
          <li key={i.text}>{i.text}</li>
        ))}
      </ul>
    </>
  );
}
