import {
  Background,
  type Connection,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { nodeTypes } from './nodeTypes.js';
import { DRAG_TYPE } from './Palette.js';
import { stepAriaLabel } from './StepNodeView.js';
import { useCanvasStore } from './store/context.js';
import { shownEdges } from './store/run.js';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.js';
import { usePlaceNode } from './usePlaceNode.js';

/** Named copies of the store's nodes, one per node object, so unchanged nodes keep their identity for React Flow. */
const named = new WeakMap<StepNode, StepNode>();
function withAriaLabel(node: StepNode): StepNode {
  let out = named.get(node);
  if (!out) {
    out = { ...node, ariaLabel: stepAriaLabel(node) };
    named.set(node, out);
  }
  return out;
}

export const FIT = { padding: 0.2, maxZoom: 1 };
const DELETE_KEYS = ['Backspace', 'Delete'];
const PRO_OPTIONS = { hideAttribution: true };

/** The React Flow canvas over the store's graph, with the run's path drawn, drop-to-add and the shortcuts. */
export function FlowArea({ saveNow }: { saveNow: () => Promise<void> }) {
  const s = useCanvasStore(
    useShallow((s) => ({
      readOnly: s.readOnly,
      nodes: s.nodes,
      edges: s.edges,
      run: s.run,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
      connect: s.connect,
      beforeDelete: s.beforeDelete,
      beforeDrag: s.beforeDrag,
      isValidConnection: s.isValidConnection,
    })),
  );
  const { nodes, edges, run, readOnly, connect, beforeDelete } = s;
  const nodesDrawn = useMemo(() => nodes.map(withAriaLabel), [nodes]);
  const edgesDrawn = useMemo(() => shownEdges({ edges, run }), [edges, run]);
  const flow = useReactFlow<StepNode, FlowEdge>();
  const placeNode = usePlaceNode();
  const onKeyDown = useKeyboardShortcuts(saveNow);

  // Fit once every node has its size (the fitView prop can run before custom nodes are measured).
  const nodesInitialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!nodesInitialized || fitted.current) return;
    fitted.current = true;
    void flow.fitView(FIT);
  }, [nodesInitialized, flow]);

  const onConnect = useCallback((c: Connection) => connect(c.source, c.sourceHandle ?? null, c.target), [connect]);
  const onBeforeDelete = useCallback(async () => beforeDelete(), [beforeDelete]);

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
    placeNode(type, { x: p.x - 120, y: p.y - 30 });
  };

  return (
    <div className="canvas">
      <ReactFlow<StepNode, FlowEdge>
        nodes={nodesDrawn}
        edges={edgesDrawn}
        nodeTypes={nodeTypes}
        onNodesChange={s.onNodesChange}
        onEdgesChange={s.onEdgesChange}
        onConnect={onConnect}
        onBeforeDelete={onBeforeDelete}
        onNodeDragStart={s.beforeDrag}
        isValidConnection={s.isValidConnection}
        nodesConnectable={!readOnly}
        nodesDraggable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        minZoom={0.2}
        proOptions={PRO_OPTIONS}
        onKeyDown={onKeyDown}
        onDragOver={onDragOver}
        onDrop={onDrop}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Mini map" />
      </ReactFlow>
    </div>
  );
}
