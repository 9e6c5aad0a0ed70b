/** Fitting the graph into view without shrinking its text below what a person can read. */
import { type FitViewOptions, type ReactFlowInstance, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { FlowEdge, NoteNode, StepNode } from '../flow/convert.js';
import { boundsOf, rectOf } from './placement.js';

/**
 * The smallest zoom fit-view may pick: node titles are 15 px and summaries 14 px (styles.css), so at 0.8
 * they stay at 12 px and 11.2 px on screen. Zooming out further by hand is still possible (`MIN_ZOOM`).
 */
export const LEGIBLE_ZOOM = 0.8;
export const MIN_ZOOM = 0.25;

type Flow = ReactFlowInstance<StepNode | NoteNode, FlowEdge>;

const PADDING = { top: '32px', left: '40px', right: '56px', bottom: '40px' } as const;

export function fitOptions(duration?: number): FitViewOptions<StepNode | NoteNode> {
  return { padding: PADDING, maxZoom: 1, minZoom: LEGIBLE_ZOOM, ...(duration ? { duration } : {}) };
}

/** Whether the whole graph fits the canvas at a legible zoom. */
export function fitsLegibly(nodes: readonly (StepNode | NoteNode)[], view: { width: number; height: number }): boolean {
  if (!nodes.length) return true;
  const b = boundsOf(nodes.map(rectOf));
  const zoom = Math.min((view.width - 80) / b.width, (view.height - 72) / b.height);
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
  const b = boundsOf(nodes.map(rectOf));
  const reach = b.x + (view.width - 80) / LEGIBLE_ZOOM;
  const start = nodes.filter((n) => rectOf(n).x + rectOf(n).width <= reach);
  // At exactly the legible zoom: as much of the graph as can be read at once.
  const subset = (start.length ? start : nodes).map((n) => ({ id: n.id }));
  return flow.fitView({ ...options, maxZoom: LEGIBLE_ZOOM, nodes: subset });
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
