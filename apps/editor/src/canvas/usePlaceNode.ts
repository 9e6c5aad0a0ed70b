import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { FlowEdge, StepNode } from '../flow/convert.js';
import { NOTE_ITEM } from './Palette.js';
import { useCanvasStore } from './store/context.js';
import type { XY } from './store/types.js';

/**
 * Adds a node (or a sticky note) where it was dropped, else after the selected node, else near the middle of
 * the visible canvas; the store finds free space there and the canvas pans to it.
 */
export function usePlaceNode(): (type: string, at?: XY) => void {
  const addNode = useCanvasStore((s) => s.addNode);
  const addNote = useCanvasStore((s) => s.addNote);
  const flow = useReactFlow<StepNode, FlowEdge>();
  const flowStore = useStoreApi<StepNode, FlowEdge>();
  return useCallback(
    (type, at) => {
      const box = flowStore.getState().domNode?.getBoundingClientRect();
      const center = flow.screenToFlowPosition({
        x: (box?.left ?? 0) + (box?.width ?? 600) / 2,
        y: (box?.top ?? 0) + (box?.height ?? 400) / 2,
      });
      if (type === NOTE_ITEM) return addNote(at ?? center);
      if (at) return addNode(type, { at });
      addNode(type, { center });
    },
    [addNode, addNote, flow, flowStore],
  );
}
