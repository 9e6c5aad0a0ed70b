import { REJECTIONS_KEPT, rejectionHint } from '@switchyard/contract/rejection-hints';
import { api } from '../api/client.js';
import type { Environment, Rejection } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { useAsync } from '../components/useAsync.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RefusalSummary {
  /** Refusals of the last 24 h among those kept. */
  count: number;
  /** All kept refusals are from the last 24 h and the list is full: there may have been more. */
  atLeast: boolean;
  /** Per reason, most frequent first. */
  reasons: { reason: string; count: number; lastAt: string }[];
}

/** What the list says about the last 24 h; only the last 100 are kept, so a full list gives a lower bound. */
export function summarize(rejections: readonly Rejection[], now: number): RefusalSummary {
  const recent = rejections.filter((r) => now - Date.parse(r.at) <= DAY_MS);
  const byReason = new Map<string, { reason: string; count: number; lastAt: string }>();
  for (const r of recent) {
    const entry = byReason.get(r.reason);
    if (entry) entry.count += 1;
    else byReason.set(r.reason, { reason: r.reason, count: 1, lastAt: r.at });
  }
  return {
    count: recent.length,
    atLeast: rejections.length >= REJECTIONS_KEPT && recent.length === rejections.length,
    reasons: [...byReason.values()].sort((a, b) => b.count - a.count),
  };
}

/**
 * Deliveries the webhook refused (forged, mis-signed, too large, while disabled), so a builder can tell whether
 * Stripe is getting through and what to fix when it is not.
 */
export function RefusedDeliveriesSection({ env, now = Date.now }: { env: Environment; now?: () => number }) {
  const list = useAsync(() => api.rejections(env), [env]);
  const rejections = list.data ?? [];
  const summary = summarize(rejections, now());

  return (
    <section className="card" aria-label="Refused deliveries" id="refused-deliveries">
      <div className="row spread">
        <h2>Refused deliveries</h2>
        <button type="button" className="btn ghost small" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {list.data && (
        <p data-testid="refused-24h">
          {summary.count === 0 ? (
            'None in the last 24 hours.'
          ) : (
            <strong>
              {summary.atLeast ? `At least ${summary.count}` : summary.count} refused in the last 24 hours
            </strong>
          )}
          <span className="muted small">
            {' '}
            The last {REJECTIONS_KEPT} are kept: when, the status and why, nothing of their content.
          </span>
        </p>
      )}
      {summary.reasons.length > 0 && (
        <ul className="warnings" aria-label="Why deliveries were refused">
          {summary.reasons.map((r) => (
            <li key={r.reason}>
              <code>{r.reason}</code> × {r.count} (last {formatTime(r.lastAt)}): {rejectionHint(r.reason)}
            </li>
          ))}
        </ul>
      )}
      {rejections.length > 0 && (
        <details>
          <summary>All {rejections.length} kept</summary>
          <table className="table" aria-label="Refused deliveries list">
            <thead>
              <tr>
                <th>When</th>
                <th>Status</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {rejections.map((r, i) => (
                // Refusals have no id; the list is newest first and only ever replaced whole.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={i}>
                  <td>{formatTime(r.at)}</td>
                  <td>{r.status}</td>
                  <td>
                    <code title={rejectionHint(r.reason)}>{r.reason}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
