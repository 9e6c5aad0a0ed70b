import { useState } from 'react';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../api/types.js';
import { EMPTY_SEARCH, type ExecutionSearch } from './filters.js';

/**
 * The search form: workflow, status, event type, Stripe object id, time range. Applied on submit, so typing an
 * object id does not search on every key.
 */
export function ExecutionFilters({
  value,
  workflows,
  showStatus,
  onApply,
}: {
  value: ExecutionSearch;
  workflows: readonly { id: string; name: string }[];
  /** The dead-letter view has one status: failed. */
  showStatus: boolean;
  onApply: (next: ExecutionSearch) => void;
}) {
  const [draft, setDraft] = useState(value);
  const set = <K extends keyof ExecutionSearch>(key: K, v: ExecutionSearch[K]) => setDraft((d) => ({ ...d, [key]: v }));
  return (
    <form
      className="row filters execution-filters"
      aria-label="Search executions"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <select aria-label="Workflow" value={draft.workflowId} onChange={(e) => set('workflowId', e.target.value)}>
        <option value="">any workflow</option>
        {workflows.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      {showStatus && (
        <select
          aria-label="Status filter"
          value={draft.status}
          onChange={(e) => set('status', e.target.value as ExecutionStatus | '')}
        >
          <option value="">any status</option>
          {EXECUTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      )}
      <input
        aria-label="Event type"
        className="narrow"
        placeholder="Event type, e.g. invoice.paid"
        value={draft.type}
        onChange={(e) => set('type', e.target.value)}
      />
      <input
        aria-label="Stripe object id"
        className="narrow"
        placeholder="Object id, e.g. cus_… or in_…"
        value={draft.objectId}
        onChange={(e) => set('objectId', e.target.value)}
      />
      <label className="row">
        <span>From</span>
        <input
          type="datetime-local"
          className="auto-width"
          aria-label="Created from"
          value={draft.from}
          onChange={(e) => set('from', e.target.value)}
        />
      </label>
      <label className="row">
        <span>to</span>
        <input
          type="datetime-local"
          className="auto-width"
          aria-label="Created before"
          value={draft.to}
          onChange={(e) => set('to', e.target.value)}
        />
      </label>
      <button type="submit" className="btn">
        Search
      </button>
      <button
        type="button"
        className="btn ghost"
        onClick={() => {
          setDraft(EMPTY_SEARCH);
          onApply(EMPTY_SEARCH);
        }}
      >
        Clear
      </button>
    </form>
  );
}
