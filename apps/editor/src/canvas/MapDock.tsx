import { MiniMap } from '@xyflow/react';
import { isTrigger } from '../flow/catalog.js';
import type { NoteNode, StepNode } from '../flow/convert.js';
import { useCanvasStore } from './store/context.js';

/** Fits the 210 px palette column; the mini map needs its size in pixels. */
const MAP_SIZE = { width: 188, height: 124 };

function miniMapColor(n: StepNode | NoteNode): string {
  if (n.type === 'note') return '#fde68a';
  return isTrigger(n.data.type) ? '#8b85ff' : '#a3adba';
}

/**
 * The mini map, docked in a column beside the canvas rather than over it, so it never covers a node;
 * shown while the canvas's map button has it open.
 */
export function MapDock() {
  const open = useCanvasStore((s) => s.mapOpen);
  if (!open) return null;
  return (
    <div className="map-dock">
      <MiniMap<StepNode | NoteNode>
        className="minimap"
        pannable
        zoomable
        ariaLabel="Mini map"
        style={MAP_SIZE}
        nodeColor={miniMapColor}
        nodeStrokeWidth={0}
        nodeBorderRadius={6}
        maskColor="rgba(228, 232, 238, 0.65)"
      />
    </div>
  );
}
