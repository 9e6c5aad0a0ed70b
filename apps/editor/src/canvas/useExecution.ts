import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Execution } from '../api/types.js';

const DONE = new Set(['succeeded', 'failed']);

/** Loads an execution and polls it every second until it has finished. */
export function useExecution(id: string | null): { execution: Execution | null; error: string | null } {
  const [execution, setExecution] = useState<Execution | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setExecution(null);
    setError(null);
    if (!id) return;
    let live = true;
    let timer = 0;
    const tick = async () => {
      try {
        const e = await api.execution(id);
        if (!live) return;
        setExecution(e);
        setError(null);
        if (!DONE.has(e.status)) timer = window.setTimeout(tick, 1000);
      } catch (err) {
        if (!live) return;
        setError(describeError(err));
        timer = window.setTimeout(tick, 2000);
      }
    };
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id]);
  return { execution, error };
}
