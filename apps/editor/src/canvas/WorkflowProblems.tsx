import type { ValidationIssue } from '@switchyard/engine';
import { useShallow } from 'zustand/react/shallow';
import { useCatalog } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { issueText, uniqueIssues } from '../inspector/issueText.js';
import { useCanvasStore } from './store/context.js';

/** With no node selected: how to edit, and the workflow's problems and warnings, each once and in words. */
export function WorkflowProblems() {
  const { errors, warnings, readOnly, nodes } = useCanvasStore(
    useShallow((s) => ({ errors: s.errors, warnings: s.validation.warnings, readOnly: s.readOnly, nodes: s.nodes })),
  );
  const problems = uniqueIssues(errors);
  return (
    <section className="problems" aria-label="Problems">
      {!readOnly && (
        <p className="muted small">
          Select a node to edit it. Drag from an output handle to an input to connect; Delete removes the selection;
          Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+C / Ctrl+V copy and paste.
        </p>
      )}
      {problems.length === 0 && warnings.length === 0 && <p className="ok">No problems.</p>}
      <IssueList title={`Problems (${problems.length})`} issues={problems} nodes={nodes} className="issues" />
      <IssueList title="Warnings" issues={uniqueIssues(warnings)} nodes={nodes} className="issues warn" />
    </section>
  );
}

function IssueList({
  title,
  issues,
  nodes,
  className,
}: {
  title: string;
  issues: readonly ValidationIssue[];
  nodes: readonly StepNode[];
  className: string;
}) {
  const catalog = useCatalog();
  if (issues.length === 0) return null;
  const texts = [...new Set(issues.map((i) => issueText(i, nodes, catalog)))];
  return (
    <>
      <h3>{title}</h3>
      <ul className={className}>
        {texts.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </>
  );
}
