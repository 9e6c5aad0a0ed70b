/** Fitting the graph into view without shrinking its text below what a person can read. */
import { type FitViewOptions, type ReactFlowInstance, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { FlowEdge, NoteNode, StepNode } from '../flow/convert.js';
import { boundsOf, rectOf } from './placement.js';

/**
 * The smallest zoom fit-view may pick: node titles and summaries are 15 px, output names 14.5 px (styles.css),
 * so at 0.75 they stay at 11.25 px and 10.9 px on screen. Zooming out further by hand is still possible
 * (`MIN_ZOOM`). Three columns of cards (a trigger, a Switch and its actions) fit at 1280 × 800 beside the
 * palette and the inspector.
 */
export const LEGIBLE_ZOOM = 0.75;
export const MIN_ZOOM = 0.25;

type Flow = ReactFlowInstance<StepNode | NoteNode, FlowEdge>;

const PADDING = { top: '24px', left: '20px', right: '36px', bottom: '24px' } as const;

export function fitOptions(duration?: number): FitViewOptions<StepNode | NoteNode> {
  return { padding: PADDING, maxZoom: 0.9, minZoom: LEGIBLE_ZOOM, ...(duration ? { duration } : {}) };
}

/** Whether the whole graph fits the canvas at a legible zoom. */
export function fitsLegibly(nodes: readonly (StepNode | NoteNode)[], view: { width: number; height: number }): boolean {
  if (!nodes.length) return true;
  const b = boundsOf(nodes.map(rectOf));
  const zoom = Math.min((view.width - 56) / b.width, (view.height - 48) / b.height);
  return zoom >= LEGIBLE_ZOOM;
}

/**
 * Fits the graph; a graph too big to read whole is shown from its start (the trigger's side, on the left)
 * at a legible zoom, and the mini map and panning reach the rest.
 */
export function fitLegibly(flow: Flow, view: { width: number; height: number }, duration?: number) {
  const nodes = flow.getNodes();
  const options = fitOptions(duration);
  if (fitsLegibly(nodes, view) || !nodes.length) return flow.fitView(options);
  // At exactly the legible zoom, the graph's left edge at the left padding (the rest continues to the right,
  // cut by the edge of the canvas so it is plain there is more), centred on the nodes that start in view.
  const b = boundsOf(nodes.map(rectOf));
  const reach = b.x + (view.width - 56) / LEGIBLE_ZOOM;
  const start = nodes.filter((n) => n.position.x < reach);
  const s = boundsOf((start.length ? start : nodes).map(rectOf));
  const zoom = LEGIBLE_ZOOM;
  const top = 24 - s.y * zoom;
  const centred = view.height / 2 - (s.y + s.height / 2) * zoom;
  const y = s.height * zoom + 48 <= view.height ? centred : top;
  return flow.setViewport({ x: 20 - b.x * zoom, y, zoom }, duration ? { duration } : undefined);
}

/** Fits the canvas of the current React Flow instance. */
export function useFitCanvas(): (duration?: number) => void {
  const flow = useReactFlow<StepNode | NoteNode, FlowEdge>();
  const flowStore = useStoreApi<StepNode | NoteNode, FlowEdge>();
  return useCallback(
    (duration) => {
      const { width, height } = flowStore.getState();
      void fitLegibly(flow, { width, height }, duration);
    },
    [flow, flowStore],
  );
}
