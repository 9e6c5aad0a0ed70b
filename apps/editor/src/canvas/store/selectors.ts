/** Reads of the store that several components share. */
import { isTrigger } from '../../flow/catalog.js';
import type { StepNode } from '../../flow/convert.js';
import type { CanvasStore } from './types.js';

/** The node the inspector edits: the selection, when it is exactly one node. */
export function selectedNode(s: Pick<CanvasStore, 'nodes'>): StepNode | null {
  let found: StepNode | null = null;
  for (const n of s.nodes) {
    if (!n.selected) continue;
    if (found) return null;
    found = n;
  }
  return found;
}

export const hasTrigger = (s: Pick<CanvasStore, 'nodes'>): boolean => s.nodes.some((n) => isTrigger(n.data.type));
