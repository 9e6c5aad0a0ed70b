import { useState } from 'react';
import type { BulkProgress, RetryVersion } from './useBulkRetry.js';

/** The bulk actions: which version to retry on, the selection or everything matching, and how far it got. */
export function BulkRetryBar({
  selected,
  canRetryMatching,
  progress,
  onRetrySelected,
  onRetryMatching,
  onClearSelection,
}: {
  selected: number;
  /** False when the search asks for runs that are not failed: nothing matching could be retried. */
  canRetryMatching: boolean;
  progress: BulkProgress | null;
  onRetrySelected: (version: RetryVersion) => void;
  onRetryMatching: (version: RetryVersion) => void;
  onClearSelection: () => void;
}) {
  const [version, setVersion] = useState<RetryVersion>('same');
  const running = progress?.running ?? false;
  return (
    <section className="row filters bulk-retry" aria-label="Bulk retry">
      <fieldset className="row">
        <legend className="sr-only">Version to retry on</legend>
        <label className="row">
          <input
            type="radio"
            className="auto-width"
            name="retry-version"
            checked={version === 'same'}
            onChange={() => setVersion('same')}
          />
          <span title="Resume from the failed step on the version that failed: for a passing outage">Same version</span>
        </label>
        <label className="row">
          <input
            type="radio"
            className="auto-width"
            name="retry-version"
            checked={version === 'latest'}
            onChange={() => setVersion('latest')}
          />
          <span title="Resume from the failed step on the latest saved version: after fixing the workflow">
            Latest version
          </span>
        </label>
      </fieldset>
      <button
        type="button"
        className="btn"
        disabled={selected === 0 || running}
        onClick={() => onRetrySelected(version)}
      >
        Retry selected ({selected})
      </button>
      {selected > 0 && (
        <button type="button" className="btn ghost" onClick={onClearSelection} disabled={running}>
          Clear selection
        </button>
      )}
      <button
        type="button"
        className="btn"
        disabled={!canRetryMatching || running}
        title="Every failed run matching the search that was not retried yet, each once"
        onClick={() => onRetryMatching(version)}
      >
        Retry all matching
      </button>
      {progress && <RetryProgress progress={progress} />}
    </section>
  );
}

function RetryProgress({ progress }: { progress: BulkProgress }) {
  const { retried, total, running, error } = progress;
  return (
    <span className="row" role="status">
      {total !== null && total > 0 && <progress max={total} value={retried} aria-label="Retry progress" />}
      <span>
        {running ? 'Retrying… ' : ''}
        {total === null ? `${retried} retried` : `${retried} of ${total} retried`}
        {!running && !error && total === 0 ? ': nothing left to retry' : ''}
      </span>
      {error && <span className="error">{error}</span>}
    </span>
  );
}
