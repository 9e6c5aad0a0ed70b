import { useRef, useState } from 'react';
import { api, describeError } from '../../api/client.js';
import { BULK_RETRY_LIMIT, type Environment } from '../../api/types.js';

export type RetryVersion = 'same' | 'latest';

export interface BulkProgress {
  retried: number;
  /** Known once the first batch answers. */
  total: number | null;
  running: boolean;
  error: string | null;
}

/** The filter "Retry all matching" sends: the search's, without the dead-letter switch (retry takes only those). */
export interface RetryFilter {
  environment: Environment;
  workflowId?: string | undefined;
  type?: string | undefined;
  objectId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * A bulk retry in batches of at most BULK_RETRY_LIMIT, as the server takes them, with progress. "All matching"
 * is bounded by the moment it starts, so retries that fail again meanwhile are not taken up by the next batch:
 * the loop ends. The server fixes that moment on the database's clock (the one `created_at` is on) and answers
 * it as `until`; later batches send it back as `to`.
 */
export function useBulkRetry(onBatch: () => void) {
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const busy = useRef(false);

  const run = async (
    batches: (version: RetryVersion) => AsyncGenerator<{ retried: number; remaining: number }>,
    version: RetryVersion,
  ) => {
    if (busy.current) return;
    busy.current = true;
    let retried = 0;
    setProgress({ retried: 0, total: null, running: true, error: null });
    try {
      for await (const b of batches(version)) {
        retried += b.retried;
        setProgress({ retried, total: retried + b.remaining, running: true, error: null });
        onBatch();
      }
      setProgress((p) => ({ retried, total: p?.total ?? retried, running: false, error: null }));
    } catch (err) {
      setProgress((p) => ({ retried, total: p?.total ?? null, running: false, error: describeError(err) }));
    } finally {
      busy.current = false;
    }
  };

  const retrySelected = (ids: readonly string[], version: RetryVersion) =>
    run(async function* (v) {
      for (let i = 0; i < ids.length; i += BULK_RETRY_LIMIT) {
        const chunk = ids.slice(i, i + BULK_RETRY_LIMIT);
        const answer = await api.retryExecutions({ ids: chunk, version: v });
        // Ids not retried (already retried, or no longer failed) are done too: only later chunks remain.
        yield { retried: answer.retried, remaining: Math.max(0, ids.length - i - chunk.length) };
      }
    }, version);

  const retryMatching = (filter: RetryFilter, version: RetryVersion) => {
    let bounded = { ...filter, status: 'failed' as const };
    return run(async function* (v) {
      for (;;) {
        const answer = await api.retryExecutions({ filter: bounded, version: v });
        if (answer.until) bounded = { ...bounded, to: answer.until };
        yield answer;
        // Nothing taken (another caller got there first) also ends it: what is left is someone else's batch.
        if (answer.remaining === 0 || answer.retried === 0) return;
      }
    }, version);
  };

  return { progress, retrySelected, retryMatching, clear: () => setProgress(null) };
}
