import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  MarkerType,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStoreApi,
} from '@xyflow/react';
import { Map as MapIcon } from 'lucide-react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FlowEdge, NoteNode, StepNode } from '../flow/convert.js';
import { fitsLegibly, MIN_ZOOM, useFitCanvas } from './fit.js';
import { NodePicker } from './NodePicker.js';
import { nodeTypes } from './nodeTypes.js';
import { DRAG_TYPE, NOTE_ITEM } from './Palette.js';
import { boundsOf, rectOf } from './placement.js';
import { stepAriaLabel } from './StepNodeView.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { shownEdges } from './store/run.js';
import { usePlaceNode } from './usePlaceNode.js';

type AnyNode = StepNode | NoteNode;

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

const ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#8792a2' } as const;
const ARROW_TAKEN = { ...ARROW, color: '#1b7f3b' } as const;
const ARROW_SELECTED = { ...ARROW, color: '#4f46e5' } as const;
/** Edges as drawn: with an arrowhead in the colour of their state (a marker cannot follow the CSS stroke). */
const arrowed = new WeakMap<Edge, Edge>();
function withArrow(edge: FlowEdge): FlowEdge {
  let out = arrowed.get(edge);
  if (!out) {
    const marker = edge.selected ? ARROW_SELECTED : edge.className === 'edge-taken' ? ARROW_TAKEN : ARROW;
    out = { ...edge, markerEnd: marker };
    arrowed.set(edge, out);
  }
  return out;
}

const DELETE_KEYS = ['Backspace', 'Delete'];
const PRO_OPTIONS = { hideAttribution: true };

/** The React Flow canvas over the store's graph and notes, with the run's path drawn and drop-to-add. */
export function FlowArea() {
  const s = useCanvasStore(
    useShallow((s) => ({
      readOnly: s.readOnly,
      nodes: s.nodes,
      notes: s.notes,
      edges: s.edges,
      run: s.run,
      reveal: s.reveal,
      mapOpen: s.mapOpen,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
      connect: s.connect,
      beforeDelete: s.beforeDelete,
      beforeDrag: s.beforeDrag,
      isValidConnection: s.isValidConnection,
      openPicker: s.openPicker,
      setMapOpen: s.setMapOpen,
    })),
  );
  const { nodes, notes, edges, run, readOnly, connect, beforeDelete, reveal, mapOpen, setMapOpen } = s;
  const nodesDrawn = useMemo<AnyNode[]>(() => [...notes, ...nodes.map(withAriaLabel)], [nodes, notes]);
  const edgesDrawn = useMemo(() => shownEdges({ edges, run }).map(withArrow), [edges, run]);
  const flow = useReactFlow<AnyNode, FlowEdge>();
  const flowStore = useStoreApi<AnyNode, FlowEdge>();
  const store = useCanvasStoreApi();
  const placeNode = usePlaceNode();
  const fit = useFitCanvas();

  // Fit once every node has its size (the fitView prop can run before custom nodes are measured). A graph too
  // big to read whole opens the mini map (docked beside the canvas) to find the way around it.
  const nodesInitialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!nodesInitialized || fitted.current) return;
    fitted.current = true;
    const { width, height } = flowStore.getState();
    if (!fitsLegibly(flow.getNodes(), { width, height })) setMapOpen(true);
    fit();
  }, [nodesInitialized, flow, flowStore, fit, setMapOpen]);

  // Pan to nodes just added or pasted when they are (partly) out of view; the zoom stays as the user left it.
  useEffect(() => {
    if (!reveal) return;
    const all = [...store.getState().nodes, ...store.getState().notes];
    const shown = all.filter((n) => reveal.ids.includes(n.id));
    if (!shown.length) return;
    const box = boundsOf(shown.map(rectOf));
    const { x, y, zoom } = flow.getViewport();
    const { width, height } = flowStore.getState();
    // Just far enough to bring them in with a margin, so the nodes they were added after stay in view too.
    const margin = 48;
    const shift = (start: number, end: number, size: number) =>
      start < margin ? margin - start : end > size - margin ? Math.max(size - margin - end, margin - start) : 0;
    const dx = shift(box.x * zoom + x, (box.x + box.width) * zoom + x, width);
    const dy = shift(box.y * zoom + y, (box.y + box.height) * zoom + y, height);
    if (dx || dy) void flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 250 });
  }, [reveal, flow, flowStore, store]);

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
    if (type === NOTE_ITEM) store.getState().addNote(p);
    else placeNode(type, { x: p.x - 130, y: p.y - 30 });
  };

  return (
    <div className="canvas">
      <ReactFlow<AnyNode, FlowEdge>
        nodes={nodesDrawn}
        edges={edgesDrawn}
        nodeTypes={nodeTypes}
        onNodesChange={s.onNodesChange}
        onEdgesChange={s.onEdgesChange}
        onConnect={onConnect}
        onBeforeDelete={onBeforeDelete}
        onNodeDragStart={s.beforeDrag}
        onPaneClick={() => s.openPicker(null)}
        onMoveStart={() => s.openPicker(null)}
        isValidConnection={s.isValidConnection}
        nodesConnectable={!readOnly}
        nodesDraggable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        minZoom={MIN_ZOOM}
        proOptions={PRO_OPTIONS}
        onDragOver={onDragOver}
        onDrop={onDrop}
      >
        <Background gap={20} size={1.2} color="#d5dae1" />
        <Controls showInteractive={false} position="bottom-left">
          <ControlButton
            onClick={() => setMapOpen(!mapOpen)}
            aria-label={mapOpen ? 'Hide mini map' : 'Show mini map'}
            title={mapOpen ? 'Hide mini map' : 'Show mini map'}
            aria-pressed={mapOpen}
          >
            <MapIcon size={14} aria-hidden="true" />
          </ControlButton>
        </Controls>
      </ReactFlow>
      <NodePicker />
    </div>
  );
}
