/** Where a new or pasted node goes: near where it is wanted, in free space, never on top of another node. */
import type { XY } from './store/types.js';

export interface Rect extends XY {
  width: number;
  height: number;
}

/** The size of a node card before React Flow has measured it (matches `.step` in styles.css). */
export const NODE_SIZE = { width: 240, height: 96 } as const;
/** Space kept between a placed node and its neighbours. */
const GAP = 32;
/** How far right of its source a node added after it goes (a column of the auto-layout). */
export const NEXT_COLUMN = NODE_SIZE.width + 90;

interface Sized {
  position: XY;
  measured?: { width?: number; height?: number };
  width?: number;
  height?: number;
}

export function rectOf(n: Sized): Rect {
  return {
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? n.width ?? NODE_SIZE.width,
    height: n.measured?.height ?? n.height ?? NODE_SIZE.height,
  };
}

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/**
 * The free spot nearest `want` for a box of `size`: the same column first (below, then above, alternating
 * outwards), then the next columns to the right. Falls back to `want` on a canvas full all around.
 */
export function freeSpot(want: XY, size: { width: number; height: number }, taken: readonly Rect[]): XY {
  const stepY = size.height + GAP;
  const stepX = size.width + GAP * 2;
  for (let col = 0; col < 6; col++) {
    for (let i = 0; i < 13; i++) {
      const row = i % 2 === 1 ? (i + 1) / 2 : -i / 2;
      const spot = { x: want.x + col * stepX, y: want.y + row * stepY };
      const box = { ...spot, ...size };
      if (!taken.some((t) => overlaps(box, t))) return spot;
    }
  }
  return want;
}

/** The box around some rectangles. */
export function boundsOf(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}
