import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client.js';
import type { Page } from '../api/types.js';

/** Cursor paging: the first page when `deps` change, `more()` appends the next. */
export function usePaged<T>(load: (cursor: string | null) => Promise<Page<T>>, deps: readonly unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback((cursor: string | null, append: boolean) => {
    const mine = ++seq.current;
    setLoading(true);
    loadRef.current(cursor).then(
      (page) => {
        if (mine !== seq.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(describeError(err));
        setLoading(false);
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` are the caller's, checked at the call site (biome.json lists this hook)
  useEffect(() => {
    fetchPage(null, false);
  }, [...deps, tick]);

  return {
    items,
    nextCursor,
    loading,
    error,
    more: () => nextCursor && fetchPage(nextCursor, true),
    reload: () => setTick((t) => t + 1),
  };
}
