import { useCallback, useRef, useState } from 'react';
import type { FlowGraph } from '../flow/convert.js';

const LIMIT = 100;
const COALESCE_MS = 1000;

/** Undo/redo over graph snapshots; repeated edits of one thing within a second are one step. */
export function useHistory(current: () => FlowGraph, restore: (g: FlowGraph) => void) {
  const past = useRef<FlowGraph[]>([]);
  const future = useRef<FlowGraph[]>([]);
  const last = useRef<{ key: string; at: number } | null>(null);
  const [, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);

  /** Call before a change; `key` names coalescable edits (e.g. `config:route`). */
  const record = useCallback(
    (key?: string) => {
      const now = Date.now();
      if (key && last.current?.key === key && now - last.current.at < COALESCE_MS) {
        last.current.at = now;
        return;
      }
      last.current = key ? { key, at: now } : null;
      past.current = [...past.current.slice(-(LIMIT - 1)), current()];
      future.current = [];
      bump();
    },
    [current],
  );

  const undo = useCallback(() => {
    const prev = past.current.pop();
    if (!prev) return;
    future.current.push(current());
    last.current = null;
    restore(prev);
    bump();
  }, [current, restore]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next) return;
    past.current.push(current());
    last.current = null;
    restore(next);
    bump();
  }, [current, restore]);

  return { record, undo, redo, canUndo: past.current.length > 0, canRedo: future.current.length > 0 };
}
