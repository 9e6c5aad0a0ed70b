import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { useCanvasStore } from './store/context.js';
import type { XY } from './store/types.js';

/** Adds a node where it was dropped, after the selected node, or else in the middle of the visible canvas. */
export function usePlaceNode(): (type: string, at?: XY) => void {
  const addNode = useCanvasStore((s) => s.addNode);
  const flow = useReactFlow<StepNode, FlowEdge>();
  const flowStore = useStoreApi<StepNode, FlowEdge>();
  return useCallback(
    (type, at) => {
      if (at) return addNode(type, { at });
      const box = flowStore.getState().domNode?.getBoundingClientRect();
      // Less about half a node, so the node rather than its corner lands in the middle.
      const center = flow.screenToFlowPosition({
        x: (box?.left ?? 0) + (box?.width ?? 600) / 2 - 120,
        y: (box?.top ?? 0) + (box?.height ?? 400) / 2 - 40,
      });
      addNode(type, { center });
    },
    [addNode, flow, flowStore],
  );
}
