import { Handle, type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { CircleCheck, CircleMinus, CircleX, Plus, TriangleAlert } from 'lucide-react';
import { type MouseEvent, memo, useEffect } from 'react';
import { entryOf, iconOf, isTrigger, nodeOutputs, summaryOf, useCatalog } from '../flow/catalog.js';
import { MAIN_HANDLE, type StepData, type StepNode } from '../flow/convert.js';
import { nodeIssueText } from '../inspector/issueText.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';

const NO_ISSUES: never[] = [];

export const stepTitle = (data: StepData) => data.label || entryOf(data.type)?.label || data.type;

/** The accessible name React Flow gives the node's wrapper (the focusable group around this view). */
export const stepAriaLabel = (node: StepNode) => `${stepTitle(node.data)} (${node.id})`;

const PICKER_SIZE = { width: 250, height: 360 };

const RUN_ICON = { succeeded: CircleCheck, failed: CircleX, skipped: CircleMinus } as const;

/** The one node component: everything it shows comes from the registry catalogue and the node's config. */
function StepNodeViewImpl({ id, data, selected }: NodeProps<StepNode>) {
  const issues = useCanvasStore((s) => s.issues.byNode.get(id)) ?? NO_ISSUES;
  // 'notrun': a run is drawn and this node took no part in it; null: no run is drawn.
  const run = useCanvasStore((s) => (s.run ? (s.run.status.get(id) ?? 'notrun') : null));
  const readOnly = useCanvasStore((s) => s.readOnly);
  const store = useCanvasStoreApi();
  const catalog = useCatalog();
  // The outputs that already lead somewhere: their "+" shows only on hover, so it does not sit on the edge.
  const connected = useCanvasStore((s) =>
    s.edges
      .filter((e) => e.source === id)
      .map((e) => e.sourceHandle ?? MAIN_HANDLE)
      .join('|'),
  ).split('|');
  const entry = entryOf(data.type);
  const outputs = nodeOutputs(data.type, data.config);
  const outputsKey = outputs.join('|');
  const updateNodeInternals = useUpdateNodeInternals();
  // biome-ignore lint/correctness/useExhaustiveDependencies: outputsKey is the cause: new handles must be measured again
  useEffect(() => updateNodeInternals(id), [id, outputsKey, updateNodeInternals]);

  const single = outputs.length === 1 && outputs[0] === MAIN_HANDLE;
  const title = stepTitle(data);
  const summary = summaryOf(data.type, data.config);
  const kind = entry?.label ?? data.type;
  const classes = [
    'step',
    `cat-${entry?.category ?? 'unknown'}`,
    selected ? 'selected' : '',
    run ? `run-${run}` : '',
    issues.length ? 'has-issues' : '',
  ];
  const RunIcon = run && run !== 'notrun' ? RUN_ICON[run] : null;

  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id}>
      {!isTrigger(data.type) && <Handle type="target" position={Position.Left} aria-label="input" />}
      <div className="step-head">
        <span className="node-icon" aria-hidden="true">
          {iconOf(data.type)}
        </span>
        <div className="step-text">
          {/* The full title, type and summary on hover: the card shows two lines of title and one of summary. */}
          <span className="step-title" title={data.label ? `${title} · ${kind}` : title}>
            {title}
          </span>
          {summary && (
            <span className="step-summary" title={summary}>
              {summary}
            </span>
          )}
        </div>
        {issues.length > 0 && (
          <span
            role="img"
            className="step-badge issues"
            title={issues.map((i) => nodeIssueText(i, store.getState().nodes, catalog)).join('\n')}
            aria-label={`${issues.length} problem(s)`}
          >
            <TriangleAlert size={14} aria-hidden="true" />
            {issues.length}
          </span>
        )}
        {RunIcon && (
          <span role="img" className={`step-badge run ${run}`} title={run ?? ''} aria-label={`step ${run}`}>
            <RunIcon size={16} aria-hidden="true" />
          </span>
        )}
      </div>
      {single && (
        <>
          <Handle type="source" position={Position.Right} aria-label="output" />
          {!readOnly && (
            <AddAfter source={id} handle={null} title={title} connected={connected.includes(MAIN_HANDLE)} />
          )}
        </>
      )}
      {!single && outputs.length > 0 && (
        <ul className="step-outputs">
          {outputs.map((o) => (
            <li key={o} className="step-output">
              <span>{o}</span>
              <Handle type="source" position={Position.Right} id={o} aria-label={`output ${o}`} />
              {!readOnly && <AddAfter source={id} handle={o} title={title} connected={connected.includes(o)} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The "+" beside an output handle: opens the node picker to add a node connected from that output. */
function AddAfter({
  source,
  handle,
  title,
  connected,
}: {
  source: string;
  handle: string | null;
  title: string;
  connected: boolean;
}) {
  const openPicker = useCanvasStore((s) => s.openPicker);
  const onClick = (e: MouseEvent<HTMLButtonElement>) => {
    e.stopPropagation();
    const canvas = e.currentTarget.closest('.canvas')?.getBoundingClientRect();
    const at = e.currentTarget.getBoundingClientRect();
    const left = canvas?.left ?? 0;
    const top = canvas?.top ?? 0;
    // Beside the "+", kept inside the canvas (the picker is PICKER_SIZE, see styles.css `.node-picker`).
    const x = Math.min(at.right - left + 8, (canvas?.width ?? Number.POSITIVE_INFINITY) - PICKER_SIZE.width - 8);
    const y = Math.min(at.top - top - 12, (canvas?.height ?? Number.POSITIVE_INFINITY) - PICKER_SIZE.height - 8);
    openPicker({ source, handle, title, x: Math.max(8, x), y: Math.max(8, y) });
  };
  return (
    <button
      type="button"
      className={`handle-plus nodrag nopan${connected ? ' connected' : ''}`}
      aria-label={`Add a node after ${title}${handle ? ` (${handle})` : ''}`}
      title="Add a node here"
      onClick={onClick}
    >
      <Plus size={12} strokeWidth={3} aria-hidden="true" />
    </button>
  );
}

export const StepNodeView = memo(StepNodeViewImpl);
