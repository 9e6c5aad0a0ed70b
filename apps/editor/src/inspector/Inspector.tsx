import type { ValidationIssue } from '@switchyard/engine';
import { useMemo, useState } from 'react';
import type { ExecutionStep } from '../api/types.js';
import { errorText, formatDuration } from '../components/format.js';
import { JsonView } from '../components/JsonView.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useCatalog } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { configFieldOf } from '../flow/issues.js';
import { CodeReadOnly } from './CodeEditor.js';
import { useExpressionEnv } from './ExpressionContext.js';
import { ExpressionGuide } from './ExpressionGuide.js';
import { messagesByField, uniqueIssues } from './fieldMeta.js';
import { runErrorText } from './issueText.js';
import type { JsonSchema } from './jsonSchema.js';
import { SchemaForm } from './SchemaForm.js';

interface Props {
  node: StepNode;
  issues: readonly ValidationIssue[];
  /** Steps of the shown execution for this node (several inside loops). */
  steps: readonly ExecutionStep[];
  readOnly: boolean;
  onConfigChange: (config: Record<string, unknown>) => void;
  onLabelChange: (label: string) => void;
  onDelete: () => void;
}

/** The selected node: its generated config form, validation issues and, after a run, its input and output. */
export function Inspector({ node, issues, steps, readOnly, onConfigChange, onLabelChange, onDelete }: Props) {
  const catalog = useCatalog();
  const entry = catalog.entryOf(node.data.type);
  const schema = entry?.configJsonSchema as JsonSchema | undefined;
  const fields = entry?.ui?.fields;
  // Each problem once (a failed save repeats the editor's own validation), in the field's words.
  const { byField, nodeLevel } = useMemo(() => {
    const config: { field: string; message: string }[] = [];
    const nodeLevel: ValidationIssue[] = [];
    for (const i of uniqueIssues(issues)) {
      const field = configFieldOf(i.path, node.id);
      if (field !== null && field !== '') config.push({ field, message: i.message });
      else nodeLevel.push(i);
    }
    return { byField: schema ? messagesByField(schema, fields, config) : new Map<string, string[]>(), nodeLevel };
  }, [issues, node.id, schema, fields]);
  // Problems show under a field once the user has changed or left it: a new case is not greeted in red.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const onTouch = (paths: readonly string[]) =>
    setTouched((t) => (paths.every((p) => t.has(p)) ? t : new Set([...t, ...paths])));
  const pending = [...byField].filter(([path]) => !touched.has(path)).flatMap(([, texts]) => texts);
  const env = useExpressionEnv();
  const choices = useMemo(() => (entry?.trigger ? { actions: entry.trigger.actions } : undefined), [entry]);

  return (
    <div className="inspector-body">
      <header className="inspector-head">
        <span className="node-icon" aria-hidden="true">
          {catalog.iconOf(node.data.type)}
        </span>
        <div>
          <h2>{node.data.label || entry?.label || node.data.type}</h2>
          <p className="muted small">
            <code>{node.id}</code> · {node.data.type}
            {node.data.version !== undefined && ` v${node.data.version}`}
          </p>
        </div>
      </header>
      {entry && <p className="muted small">{entry.description}</p>}
      {!entry && <p className="error">Unknown node type “{node.data.type}”.</p>}

      {steps.length > 0 && <RunData steps={steps} nodes={[node]} />}

      {nodeLevel.length > 0 && (
        <ul className="issues" aria-label="Problems">
          {nodeLevel.map((i) => (
            <li key={i.text}>{i.message}</li>
          ))}
        </ul>
      )}
      {!readOnly && pending.length > 0 && (
        <ul className="pending" aria-label="Still to fill in">
          <li className="pending-title">To finish this node</li>
          {[...new Set(pending)].map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}

      <CodeReadOnly.Provider value={readOnly}>
        <fieldset className="form" disabled={readOnly}>
          <label className="field">
            <span>Label</span>
            <input
              value={node.data.label ?? ''}
              placeholder={entry?.label}
              onChange={(e) => onLabelChange(e.target.value)}
            />
          </label>
          {entry && (
            <SchemaForm
              schema={entry.configJsonSchema as JsonSchema}
              value={node.data.config}
              onChange={onConfigChange}
              options={{
                idPrefix: `cfg-${node.id}`,
                issues: byField,
                touched,
                onTouch,
                ...(choices ? { choices } : {}),
                ...(entry.ui?.fields ? { fields: entry.ui.fields } : {}),
              }}
            />
          )}
        </fieldset>
      </CodeReadOnly.Provider>
      {env.templates && <ExpressionGuide />}
      {!readOnly && (
        <button type="button" className="btn danger small" onClick={onDelete}>
          Delete node
        </button>
      )}
    </div>
  );
}

function RunData({ steps, nodes }: { steps: readonly ExecutionStep[]; nodes: readonly StepNode[] }) {
  const catalog = useCatalog();
  return (
    <section className="run-data" aria-label="Execution data">
      {steps.map((s) => (
        <div key={s.stepKey}>
          <h3 className="row">
            <StatusBadge status={s.status} /> <code>{s.stepKey}</code>
            <span className="muted small">
              attempt {s.attempt} · {formatDuration(s.startedAt, s.finishedAt)}
            </span>
          </h3>
          {s.error != null && <p className="error">{runErrorText(errorText(s.error), nodes, catalog)}</p>}
          <details open>
            <summary>Input</summary>
            <JsonView value={s.input} label={`Input of ${s.stepKey}`} />
          </details>
          <details open>
            <summary>Output</summary>
            <JsonView value={s.output} label={`Output of ${s.stepKey}`} />
          </details>
        </div>
      ))}
    </section>
  );
}
