import { Handle, type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { entryOf, iconOf, isTrigger, nodeOutputs, summaryOf } from '../flow/catalog.js';
import { MAIN_HANDLE, type StepData, type StepNode } from '../flow/convert.js';
import { useCanvasStore } from './store/context.js';

const NO_ISSUES: never[] = [];

export const stepTitle = (data: StepData) => data.label || entryOf(data.type)?.label || data.type;

/** The accessible name React Flow gives the node's wrapper (the focusable group around this view). */
export const stepAriaLabel = (node: StepNode) => `${stepTitle(node.data)} (${node.id})`;

/** The one node component: everything it shows comes from the registry catalogue and the node's config. */
function StepNodeViewImpl({ id, data, selected }: NodeProps<StepNode>) {
  const issues = useCanvasStore((s) => s.issues.byNode.get(id)) ?? NO_ISSUES;
  // 'notrun': a run is drawn and this node took no part in it; null: no run is drawn.
  const run = useCanvasStore((s) => (s.run ? (s.run.status.get(id) ?? 'notrun') : null));
  const entry = entryOf(data.type);
  const outputs = nodeOutputs(data.type, data.config);
  const outputsKey = outputs.join('|');
  const updateNodeInternals = useUpdateNodeInternals();
  // biome-ignore lint/correctness/useExhaustiveDependencies: outputsKey is the cause: new handles must be measured again
  useEffect(() => updateNodeInternals(id), [id, outputsKey, updateNodeInternals]);

  const single = outputs.length === 1 && outputs[0] === MAIN_HANDLE;
  const classes = [
    'step',
    `cat-${entry?.category ?? 'unknown'}`,
    selected ? 'selected' : '',
    run ? `run-${run}` : '',
    issues.length ? 'has-issues' : '',
  ];

  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id}>
      {!isTrigger(data.type) && <Handle type="target" position={Position.Left} aria-label="input" />}
      <div className="step-head">
        <span className="node-icon" aria-hidden="true">
          {iconOf(data.type)}
        </span>
        <span className="step-title">{stepTitle(data)}</span>
        {issues.length > 0 && (
          <span
            role="img"
            className="issue-badge"
            title={issues.map((i) => i.text).join('\n')}
            aria-label={`${issues.length} problem(s)`}
          >
            {issues.length}
          </span>
        )}
        {run && run !== 'notrun' && (
          <span role="img" className={`run-dot ${run}`} title={run} aria-label={`step ${run}`} />
        )}
      </div>
      <div className="step-summary" title={summaryOf(data.type, data.config)}>
        {summaryOf(data.type, data.config)}
      </div>
      {single && <Handle type="source" position={Position.Right} aria-label="output" />}
      {!single && outputs.length > 0 && (
        <ul className="step-outputs">
          {outputs.map((o) => (
            <li key={o} className="step-output">
              <span>{o}</span>
              <Handle type="source" position={Position.Right} id={o} aria-label={`output ${o}`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const StepNodeView = memo(StepNodeViewImpl);
