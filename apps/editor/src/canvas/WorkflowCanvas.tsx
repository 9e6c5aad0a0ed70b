import { buildEventContext, samplesForTrigger, type ValidationIssue, validateWorkflow } from '@switchyard/engine';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type IsValidConnection,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Environment, Execution, Published, WorkflowDoc, WorkflowRecord } from '../api/types.js';
import { errorText } from '../components/format.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { defaultConfig, isTrigger, nodeOutputs } from '../flow/catalog.js';
import {
  type DocumentMeta,
  documentToFlow,
  type FlowEdge,
  type FlowGraph,
  flowToDocument,
  STEP_NODE,
  type StepNode,
} from '../flow/convert.js';
import { groupIssues } from '../flow/issues.js';
import { connectionProblem, newEdgeId, newNodeId, pruneDanglingEdges } from '../flow/rules.js';
import { collectPaths, type PathSuggestion } from '../inspector/contextPaths.js';
import { type ExpressionEnv, ExpressionEnvContext } from '../inspector/ExpressionContext.js';
import { Inspector } from '../inspector/Inspector.js';
import { OutputsEditor } from '../inspector/OutputsEditor.js';
import { sampleContext } from '../inspector/preview.js';
import { downloadJson } from '../pages/files.js';
import { href, navigate } from '../router.js';
import { CanvasContext } from './CanvasContext.js';
import { copySelection, pasteInto } from './clipboard.js';
import { autoLayout } from './layout.js';
import { nodeTypes } from './nodeTypes.js';
import { DRAG_TYPE, Palette } from './Palette.js';
import { PublishDialog } from './PublishDialog.js';
import { decorateEdges, runStatusByNode, stepsByNode } from './runOverlay.js';
import { TestRunPanel } from './TestRunPanel.js';
import { type SaveStatus, useAutosave } from './useAutosave.js';
import { useExecution } from './useExecution.js';
import { useHistory } from './useHistory.js';

interface Props {
  env: Environment;
  record: WorkflowRecord;
  view: { execution: Execution; document: WorkflowDoc } | null;
}

const SAVE_LABEL: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  invalid: 'Not saved: fix the problems',
  error: 'Save failed',
};

const FIT = { padding: 0.2, maxZoom: 1 };

const strip = (g: FlowGraph): FlowGraph => ({
  nodes: g.nodes.map(({ selected: _s, dragging: _d, ...n }) => n),
  edges: g.edges.map(({ selected: _s, ...e }) => e),
});

export function WorkflowCanvas({ env, record, view }: Props) {
  const readOnly = view !== null;
  const initial = useMemo(() => documentToFlow(view ? view.document : record.document), [record, view]);
  const [meta, setMeta] = useState<DocumentMeta>(initial.meta);
  const [nodes, setNodes] = useState<StepNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const [latest, setLatest] = useState<{ version: number; document: WorkflowDoc; published: Published }>({
    version: record.version,
    document: record.document,
    published: record.published,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const flow = useReactFlow<StepNode, FlowEdge>();

  // Fit once every node has its size (the fitView prop can run before custom nodes are measured).
  const nodesInitialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!nodesInitialized || fitted.current) return;
    fitted.current = true;
    void flow.fitView(FIT);
  }, [nodesInitialized, flow]);

  const graphRef = useRef<FlowGraph>({ nodes, edges });
  graphRef.current = { nodes, edges };
  const history = useHistory(
    useCallback(() => strip(graphRef.current), []),
    useCallback((g: FlowGraph) => {
      setNodes(g.nodes);
      setEdges(g.edges);
    }, []),
  );

  // Document, validation and autosave.
  const doc = useMemo(() => flowToDocument(meta, nodes, edges), [meta, nodes, edges]);
  const docKey = useMemo(() => JSON.stringify(doc), [doc]);
  const validation = useMemo(() => validateWorkflow(JSON.parse(docKey) as unknown), [docKey]);
  const save = useCallback(
    async (key: string) => {
      const saved = await api.saveWorkflow(record.id, JSON.parse(key) as WorkflowDoc);
      setLatest({ version: saved.version, document: saved.document, published: saved.published });
    },
    [record.id],
  );
  const autosave = useAutosave({ enabled: !readOnly, docKey, valid: validation.ok, save });
  const errors: ValidationIssue[] = useMemo(() => {
    const local = validation.ok ? [] : validation.errors;
    const remote = (autosave.failure?.issues ?? []).map((i) => ({ ...i, text: `${i.path}: ${i.message}` }));
    return [...local, ...remote];
  }, [validation, autosave.failure]);
  const grouped = useMemo(() => groupIssues(errors), [errors]);

  // Executions: the one in view, or the latest test run.
  const [testExecutionId, setTestExecutionId] = useState<string | null>(null);
  const [testBusy, setTestBusy] = useState(false);
  const [testError, setTestError] = useState<string | null>(null);
  const polled = useExecution(view ? view.execution.id : testExecutionId);
  const execution = polled.execution ?? view?.execution ?? null;
  const runSteps = useMemo(() => stepsByNode(execution), [execution]);
  const runStatus = useMemo(() => (execution ? runStatusByNode(runSteps) : null), [execution, runSteps]);
  const canvasState = useMemo(() => ({ issuesByNode: grouped.byNode, runByNode: runStatus }), [grouped, runStatus]);
  const shownEdges = useMemo(() => decorateEdges(edges, runStatus, runSteps), [edges, runStatus, runSteps]);

  // Sample event for previews and test runs.
  const trigger = nodes.find((n) => isTrigger(n.data.type)) ?? null;
  const samples = useMemo(() => (trigger ? samplesForTrigger(trigger.data.type) : []), [trigger?.data.type]);
  const triggerActions = Array.isArray(trigger?.data.config.actions) ? (trigger.data.config.actions as string[]) : [];
  const preferred =
    samples.find((s) =>
      triggerActions.some((a) => String(s.type).endsWith(`.${a}`) || String(s.type).endsWith(`_${a}`)),
    ) ?? samples[0];
  const [sampleTypeChoice, setSampleType] = useState<string | null>(null);
  const sampleType =
    sampleTypeChoice && samples.some((s) => s.type === sampleTypeChoice)
      ? sampleTypeChoice
      : String(preferred?.type ?? '');
  const sample = samples.find((s) => s.type === sampleType);

  const selected = nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0]! : null;

  const expressionEnv: ExpressionEnv = useMemo(() => {
    const stepOutputs: Record<string, unknown> = {};
    for (const [id, list] of runSteps) if (list[0]) stepOutputs[id] = list[0].output;
    const context = sample ? sampleContext(sample, stepOutputs) : null;
    const paths: PathSuggestion[] = [];
    if (sample) {
      try {
        paths.push(...collectPaths(buildEventContext(sample), 'context.event'));
      } catch {
        // not a usable sample: no completions
      }
    }
    paths.push({ path: 'context.env', preview: '"editor"' });
    for (const n of nodes) {
      if (n.id === selectedNode?.id) continue;
      if (n.id in stepOutputs) paths.push(...collectPaths(stepOutputs[n.id], `context.steps.${n.id}`));
      else paths.push({ path: `context.steps.${n.id}`, preview: 'output' });
    }
    return { paths, context, templates: selectedNode ? !isTrigger(selectedNode.data.type) : true };
  }, [sample, runSteps, nodes, selectedNode?.id, selectedNode?.data.type]);

  // Editing.
  const onNodesChange = useCallback(
    (changes: NodeChange<StepNode>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes;
      setNodes((ns) => applyNodeChanges(allowed, ns));
    },
    [readOnly],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === 'select') : changes;
      setEdges((es) => applyEdgeChanges(allowed, es));
    },
    [readOnly],
  );
  const onBeforeDelete = useCallback(async () => {
    if (readOnly) return false;
    history.record();
    return true;
  }, [readOnly, history]);

  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c) =>
      connectionProblem(graphRef.current.nodes, graphRef.current.edges, {
        source: c.source,
        target: c.target,
        sourceHandle: c.sourceHandle ?? null,
      }) === null,
    [],
  );

  const connect = useCallback(
    (source: string, sourceHandle: string | null, target: string) => {
      const { nodes: ns, edges: es } = graphRef.current;
      const problem = connectionProblem(ns, es, { source, target, sourceHandle });
      if (problem) {
        setNotice(problem);
        return;
      }
      history.record();
      const edge: FlowEdge = {
        id: newEdgeId(
          source,
          sourceHandle,
          target,
          es.map((e) => e.id),
        ),
        source,
        target,
      };
      if (sourceHandle) edge.sourceHandle = sourceHandle;
      setEdges([...es, edge]);
    },
    [history],
  );
  const onConnect = useCallback((c: Connection) => connect(c.source, c.sourceHandle ?? null, c.target), [connect]);

  const addNode = useCallback(
    (type: string, at?: { x: number; y: number }) => {
      if (readOnly) return;
      const { nodes: ns, edges: es } = graphRef.current;
      if (isTrigger(type) && ns.some((n) => isTrigger(n.data.type))) {
        setNotice('A workflow has exactly one trigger.');
        return;
      }
      const from = ns.filter((n) => n.selected).length === 1 ? ns.find((n) => n.selected)! : null;
      let position = at;
      if (!position && from)
        position = {
          x: from.position.x + 320,
          y: from.position.y + es.filter((e) => e.source === from.id).length * 130,
        };
      if (!position) {
        const box = wrapper.current?.getBoundingClientRect();
        position = flow.screenToFlowPosition({
          x: (box?.left ?? 0) + (box?.width ?? 600) / 2 - 120,
          y: (box?.top ?? 0) + (box?.height ?? 400) / 2 - 40,
        });
      }
      history.record();
      const id = newNodeId(
        type,
        ns.map((n) => n.id),
      );
      const node: StepNode = {
        id,
        type: STEP_NODE,
        position,
        selected: true,
        data: { type, config: defaultConfig(type) },
      };
      setNodes([...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      // Click-to-add after a selected node connects its first free output, so a flow can be built from the keyboard.
      if (!at && from && !isTrigger(type)) {
        const outputs = nodeOutputs(from.data.type, from.data.config);
        const free = outputs.find((o) => !es.some((e) => e.source === from.id && (e.sourceHandle ?? 'main') === o));
        if (free) {
          const handle = free === 'main' ? null : free;
          const edge: FlowEdge = {
            id: newEdgeId(
              from.id,
              handle,
              id,
              es.map((e) => e.id),
            ),
            source: from.id,
            target: id,
          };
          if (handle) edge.sourceHandle = handle;
          setEdges([...es, edge]);
        }
      }
    },
    [readOnly, flow, history],
  );

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  };
  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addNode(type, { x: p.x - 120, y: p.y - 30 });
  };

  const updateNode = useCallback(
    (id: string, change: (n: StepNode) => StepNode, historyKey: string) => {
      history.record(historyKey);
      const { nodes: ns, edges: es } = graphRef.current;
      const before = ns.find((n) => n.id === id);
      if (!before) return;
      const after = change(before);
      setNodes(ns.map((n) => (n.id === id ? after : n)));
      const oldOut = nodeOutputs(before.data.type, before.data.config);
      const newOut = nodeOutputs(after.data.type, after.data.config);
      if (oldOut.join('|') === newOut.join('|')) return;
      // A renamed output (a Switch case id edited) keeps its connections; vanished outputs lose theirs.
      const renamed = new Map<string, string>();
      if (oldOut.length === newOut.length) oldOut.forEach((o, i) => newOut[i] !== o && renamed.set(o, newOut[i]!));
      const moved = es.map((e) =>
        e.source === id && e.sourceHandle && renamed.has(e.sourceHandle)
          ? { ...e, sourceHandle: renamed.get(e.sourceHandle)! }
          : e,
      );
      setEdges(pruneDanglingEdges(moved, id, newOut));
    },
    [history],
  );

  const deleteNode = (id: string) => {
    history.record();
    setNodes((ns) => ns.filter((n) => n.id !== id));
    setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
  };

  const layout = async () => {
    const next = await autoLayout(graphRef.current.nodes, graphRef.current.edges);
    history.record();
    setNodes(next);
    window.setTimeout(() => void flow.fitView({ ...FIT, duration: 200 }), 50);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    const mod = e.metaKey || e.ctrlKey;
    if (!mod) return;
    const key = e.key.toLowerCase();
    if (key === 's') {
      e.preventDefault();
      void autosave.saveNow().catch(() => undefined);
      return;
    }
    if (readOnly) return;
    if (key === 'z' && !e.shiftKey) history.undo();
    else if ((key === 'z' && e.shiftKey) || key === 'y') history.redo();
    else if (key === 'c') {
      const n = copySelection(graphRef.current.nodes, graphRef.current.edges);
      if (n) setNotice(`Copied ${n} node(s).`);
      return;
    } else if (key === 'v') {
      const clip = pasteInto(graphRef.current.nodes, graphRef.current.edges);
      if (!clip || !clip.nodes.length) return;
      history.record();
      setNodes([...graphRef.current.nodes.map((n) => ({ ...n, selected: false })), ...clip.nodes]);
      setEdges([...graphRef.current.edges, ...clip.edges]);
    } else return;
    e.preventDefault();
  };

  const runTest = async (source: { event: unknown } | { eventId: string }) => {
    setTestBusy(true);
    setTestError(null);
    try {
      if (autosave.dirty) {
        if (!validation.ok) throw new Error('Fix the problems first: a test runs the saved version.');
        await autosave.saveNow();
      }
      const { executionId } = await api.testRun(record.id, source);
      setTestExecutionId(executionId);
    } catch (err) {
      setTestError(describeError(err));
    } finally {
      setTestBusy(false);
    }
  };

  const warnings = validation.warnings;
  const name = typeof meta.name === 'string' ? meta.name : '';

  return (
    <div className={`workflow${readOnly ? ' read-only' : ''}`}>
      <div className="toolbar" role="toolbar" aria-label="Workflow">
        <Link href={href(env, 'workflows')} className="btn ghost small" aria-label="Back to workflows">
          ←
        </Link>
        <input
          className="wf-name"
          aria-label="Workflow name"
          value={name}
          readOnly={readOnly}
          onChange={(e) => {
            history.record('name');
            setMeta({ ...meta, name: e.target.value });
          }}
        />
        {!readOnly && (
          <>
            <span className={`save-state ${autosave.status}`} role="status" data-testid="save-state">
              {SAVE_LABEL[autosave.status]}
              {autosave.failure && `: ${autosave.failure.message}`}
            </span>
            <span className="muted small">v{latest.version}</span>
            <div className="toolbar-group">
              <button
                type="button"
                className="btn small"
                onClick={history.undo}
                disabled={!history.canUndo}
                title="Undo (Ctrl+Z)"
              >
                Undo
              </button>
              <button
                type="button"
                className="btn small"
                onClick={history.redo}
                disabled={!history.canRedo}
                title="Redo (Ctrl+Shift+Z)"
              >
                Redo
              </button>
              <button type="button" className="btn small" onClick={() => void layout()}>
                Auto-layout
              </button>
              <button
                type="button"
                className="btn small"
                onClick={() => downloadJson(`${name || 'workflow'}.json`, doc)}
              >
                Export
              </button>
              <button
                type="button"
                className="btn small"
                onClick={() => void autosave.saveNow().catch(() => undefined)}
                disabled={autosave.status === 'saved' || !validation.ok}
              >
                Save
              </button>
              <button
                type="button"
                className="btn small primary"
                onClick={() => setPublishing(true)}
                disabled={autosave.dirty}
              >
                Publish…
              </button>
            </div>
          </>
        )}
        {readOnly && view && <RunBanner env={env} workflowId={record.id} execution={execution ?? view.execution} />}
      </div>
      {notice && (
        <p className="notice" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </p>
      )}
      <div className="workflow-body">
        {!readOnly && <Palette onAdd={(t) => addNode(t)} triggerTaken={trigger !== null} />}
        <CanvasContext.Provider value={canvasState}>
          <div className="canvas" ref={wrapper} onKeyDown={onKeyDown} onDragOver={onDragOver} onDrop={onDrop}>
            <ReactFlow<StepNode, FlowEdge>
              nodes={nodes}
              edges={shownEdges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onBeforeDelete={onBeforeDelete}
              onNodeDragStart={() => !readOnly && history.record()}
              isValidConnection={isValidConnection}
              nodesConnectable={!readOnly}
              nodesDraggable={!readOnly}
              deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
              minZoom={0.2}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={16} />
              <Controls showInteractive={false} />
              <MiniMap pannable zoomable ariaLabel="Mini map" />
            </ReactFlow>
          </div>
        </CanvasContext.Provider>
        <aside className="side" aria-label="Inspector">
          {!readOnly && (
            <TestRunPanel
              triggerType={trigger?.data.type ?? null}
              sampleType={sampleType}
              onSampleType={setSampleType}
              onRun={(s) => void runTest(s)}
              busy={testBusy}
              execution={polled.execution}
              error={testError ?? polled.error}
              onClear={() => setTestExecutionId(null)}
            />
          )}
          {selectedNode ? (
            <ExpressionEnvContext.Provider value={expressionEnv}>
              <Inspector
                key={selectedNode.id}
                node={selectedNode}
                issues={grouped.byNode.get(selectedNode.id) ?? []}
                steps={runSteps.get(selectedNode.id) ?? []}
                readOnly={readOnly}
                onConfigChange={(config) =>
                  updateNode(
                    selectedNode.id,
                    (n) => ({ ...n, data: { ...n.data, config } }),
                    `config:${selectedNode.id}`,
                  )
                }
                onLabelChange={(label) =>
                  updateNode(
                    selectedNode.id,
                    (n) => ({ ...n, data: { ...n.data, label: label || undefined } }),
                    `label:${selectedNode.id}`,
                  )
                }
                onDelete={() => deleteNode(selectedNode.id)}
              />
              <OutputsEditor
                node={selectedNode}
                outputs={nodeOutputs(selectedNode.data.type, selectedNode.data.config)}
                nodes={nodes}
                edges={edges}
                readOnly={readOnly}
                canConnect={(s, h, t) => connectionProblem(nodes, edges, { source: s, target: t, sourceHandle: h })}
                onConnect={(h, t) => connect(selectedNode.id, h, t)}
                onDisconnect={(edgeId) => {
                  history.record();
                  setEdges((es) => es.filter((e) => e.id !== edgeId));
                }}
              />
            </ExpressionEnvContext.Provider>
          ) : (
            <WorkflowProblems errors={errors} warnings={warnings} readOnly={readOnly} />
          )}
        </aside>
      </div>
      {!readOnly && (
        <PublishDialog
          open={publishing}
          onClose={() => setPublishing(false)}
          workflowId={record.id}
          latestVersion={latest.version}
          latestDocument={latest.document}
          published={latest.published}
          onPublished={(target, version) => {
            setLatest((l) => ({ ...l, published: { ...l.published, [target]: version } }));
            setNotice(`Published v${version} to ${target}.`);
          }}
        />
      )}
    </div>
  );
}

function WorkflowProblems({
  errors,
  warnings,
  readOnly,
}: {
  errors: readonly ValidationIssue[];
  warnings: readonly ValidationIssue[];
  readOnly: boolean;
}) {
  return (
    <section className="problems" aria-label="Problems">
      {!readOnly && (
        <p className="muted small">
          Select a node to edit it. Drag from an output handle to an input to connect; Delete removes the selection;
          Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+C / Ctrl+V copy and paste.
        </p>
      )}
      {errors.length === 0 && warnings.length === 0 && <p className="ok">No problems.</p>}
      {errors.length > 0 && (
        <>
          <h3>Problems ({errors.length})</h3>
          <ul className="issues">
            {errors.map((i) => (
              <li key={i.text}>{i.text}</li>
            ))}
          </ul>
        </>
      )}
      {warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul className="issues warn">
            {warnings.map((i) => (
              <li key={i.text}>{i.text}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RunBanner({ env, workflowId, execution }: { env: Environment; workflowId: string; execution: Execution }) {
  const [message, setMessage] = useState<string | null>(null);
  const retry = async () => {
    try {
      const next = await api.retryExecution(execution.id);
      navigate(href(env, 'workflows', workflowId, { execution: next.id }));
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  const replay = async () => {
    try {
      const runs = await api.replayEvent(execution.environment, execution.eventId, {
        workflowId,
        version: execution.workflowVersion,
      });
      const first = runs[0];
      if (first) navigate(href(env, 'workflows', workflowId, { execution: first.executionId }));
      else setMessage('The event does not match this workflow any more.');
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  return (
    <div className="run-banner" role="status">
      <span>
        Run on v{execution.workflowVersion} in {execution.environment} for <code>{execution.eventType}</code>:{' '}
        <StatusBadge status={execution.status} />
      </span>
      {execution.error != null && <span className="field-error">{errorText(execution.error)}</span>}
      {execution.status === 'failed' && (
        <button type="button" className="btn small" onClick={() => void retry()}>
          Retry
        </button>
      )}
      <button type="button" className="btn small" onClick={() => void replay()}>
        Replay event
      </button>
      <Link className="btn small ghost" href={href(env, 'workflows', workflowId)}>
        Back to editing
      </Link>
      {message && <span className="field-error">{message}</span>}
    </div>
  );
}
