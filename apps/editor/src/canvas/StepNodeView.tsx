import { Handle, type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { entryOf, iconOf, isTrigger, nodeOutputs, summaryOf } from '../flow/catalog.js';
import { MAIN_HANDLE, type StepNode } from '../flow/convert.js';
import { useCanvasState } from './CanvasContext.js';

/** The one node component: everything it shows comes from the registry catalogue and the node's config. */
function StepNodeViewImpl({ id, data, selected }: NodeProps<StepNode>) {
  const { issuesByNode, runByNode } = useCanvasState();
  const entry = entryOf(data.type);
  const outputs = nodeOutputs(data.type, data.config);
  const outputsKey = outputs.join('|');
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => updateNodeInternals(id), [id, outputsKey, updateNodeInternals]);

  const issues = issuesByNode.get(id) ?? [];
  const run = runByNode ? (runByNode.get(id) ?? 'notrun') : null;
  const single = outputs.length === 1 && outputs[0] === MAIN_HANDLE;
  const classes = [
    'step',
    `cat-${entry?.category ?? 'unknown'}`,
    selected ? 'selected' : '',
    run ? `run-${run}` : '',
    issues.length ? 'has-issues' : '',
  ];

  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-node-id={id}
      aria-label={`${data.label || entry?.label || data.type} (${id})`}
    >
      {!isTrigger(data.type) && <Handle type="target" position={Position.Left} aria-label="input" />}
      <div className="step-head">
        <span className="node-icon" aria-hidden="true">
          {iconOf(data.type)}
        </span>
        <span className="step-title">{data.label || entry?.label || data.type}</span>
        {issues.length > 0 && (
          <span
            className="issue-badge"
            title={issues.map((i) => i.text).join('\n')}
            aria-label={`${issues.length} problem(s)`}
          >
            {issues.length}
          </span>
        )}
        {run && run !== 'notrun' && <span className={`run-dot ${run}`} title={run} aria-label={`step ${run}`} />}
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
