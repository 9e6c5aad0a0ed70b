import { triggerMatches } from '@switchyard/engine';
import type { SampleEvent } from '@switchyard/engine/samples';
import { useState } from 'react';
import { api } from '../api/client.js';
import type { Execution } from '../api/types.js';
import { errorText } from '../components/format.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useAsync } from '../components/useAsync.js';

interface Props {
  /** The workflow's trigger as it is configured, or null when there is none yet. */
  trigger: { type: string; config: unknown } | null;
  /** The sample events that trigger fires on. */
  samples: readonly SampleEvent[];
  /** Sample event chosen for previews and test runs (by type). */
  sampleType: string;
  onSampleType: (type: string) => void;
  onRun: (source: { event: unknown } | { eventId: string }) => void;
  busy: boolean;
  execution: Execution | null;
  error: string | null;
  onClear: () => void;
}

/** Pick a sample event of the trigger's family (or a stored one) and run the latest saved version in the editor environment. */
export function TestRunPanel({
  trigger,
  samples,
  sampleType,
  onSampleType,
  onRun,
  busy,
  execution,
  error,
  onClear,
}: Props) {
  const stored = useAsync(() => api.events('editor', { limit: 100 }), []);
  const storedForTrigger = (stored.data?.items ?? []).filter(
    (e) => trigger !== null && triggerMatches(trigger, e.type),
  );
  const [source, setSource] = useState<'sample' | 'stored'>('sample');
  const [storedId, setStoredId] = useState('');

  const run = () => {
    if (source === 'stored') {
      if (storedId) onRun({ eventId: storedId });
      return;
    }
    const event = samples.find((s) => s.type === sampleType) ?? samples[0];
    if (event) onRun({ event });
  };

  return (
    <section className="test-run" aria-label="Test run">
      <h3>Test run</h3>
      {!trigger && <p className="muted small">Add a trigger first.</p>}
      {trigger && (
        <>
          <div className="row">
            <label className="toggle">
              <input
                type="radio"
                name="test-source"
                checked={source === 'sample'}
                onChange={() => setSource('sample')}
              />{' '}
              Sample
            </label>
            <label className="toggle">
              <input
                type="radio"
                name="test-source"
                checked={source === 'stored'}
                onChange={() => setSource('stored')}
                disabled={storedForTrigger.length === 0}
              />{' '}
              Stored event ({storedForTrigger.length})
            </label>
          </div>
          {source === 'sample' ? (
            <select aria-label="Sample event" value={sampleType} onChange={(e) => onSampleType(e.target.value)}>
              {samples.map((s) => (
                <option key={String(s.type)} value={String(s.type)}>
                  {String(s.type)}
                </option>
              ))}
            </select>
          ) : (
            <select aria-label="Stored event" value={storedId} onChange={(e) => setStoredId(e.target.value)}>
              <option value="">Choose an event</option>
              {storedForTrigger.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.type} · {e.id}
                </option>
              ))}
            </select>
          )}
          <div className="row">
            <button
              type="button"
              className="btn primary"
              onClick={run}
              disabled={busy || (source === 'stored' && !storedId)}
            >
              {busy ? 'Running…' : 'Run test'}
            </button>
            {execution && (
              <button type="button" className="btn ghost" onClick={onClear}>
                Clear
              </button>
            )}
          </div>
          <p className="hint">Runs the latest saved version in the editor environment; actions really happen there.</p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {execution && (
        <p role="status" className="run-status">
          Run <StatusBadge status={execution.status} /> · {execution.steps.length} step(s)
          {execution.error != null && <span className="field-error"> {errorText(execution.error)}</span>}
        </p>
      )}
    </section>
  );
}
