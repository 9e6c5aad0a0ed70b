import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type {
  Connection,
  Environment,
  ReconcileResult,
  StripeDeregistration,
  StripeRegistration,
  StripeRegistrationStatus,
} from '../api/types.js';
import { CopyButton } from '../components/CopyButton.js';
import { Dialog } from '../components/Dialog.js';
import { formatTime } from '../components/format.js';
import { useAsync } from '../components/useAsync.js';
import {
  endpointChip,
  eventDrift,
  formatElapsed,
  mismatchMessage,
  mismatchRisk,
  RECOVER_RANGES,
  type RecoverRangeId,
  sinceFor,
  toneClass,
} from './stripeEndpoint.js';

type Outcome =
  | { kind: 'registered'; answer: StripeRegistration }
  | { kind: 'deregistered'; answer: StripeDeregistration };

interface Props {
  env: Environment;
  connection: Connection;
  /**
   * Called after register, deregister and recover changed the connection on the server (webhook switched on or
   * off, signing secret, event counts). `settingsChanged` when the stored settings changed, not only counts.
   */
  onChanged: (settingsChanged: boolean) => Promise<void> | void;
}

/**
 * The Stripe side of the connection: the webhook endpoint Switchyard registers (status chip, events, drift),
 * Register / Update registration / Deregister, and "Recover missed events" (reconcile) over a time range.
 */
export function StripeEndpointSection({ env, connection, onChanged }: Props) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a saved connection (new updatedAt or endpoint id) changes the status, so it reloads
  const status = useAsync(() => api.stripeRegistration(env), [env, connection.updatedAt, connection.stripeEndpointId]);
  const [busy, setBusy] = useState<'register' | 'deregister' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // The server answered mode_mismatch: the dialog says why in the editor's words, from the env and key mode it knows.
  const [mismatchOpen, setMismatch] = useState(false);
  const [confirmDeregister, setConfirmDeregister] = useState(false);

  // The safe choice has the focus when a confirmation opens (after the <dialog>'s showModal, a child effect).
  const cancelMismatch = useRef<HTMLButtonElement>(null);
  const cancelDeregister = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (mismatchOpen) cancelMismatch.current?.focus();
  }, [mismatchOpen]);
  useEffect(() => {
    if (confirmDeregister) cancelDeregister.current?.focus();
  }, [confirmDeregister]);

  const s = status.data;
  const registered = Boolean(s?.registered);
  const chip = endpointChip(s);

  const afterChange = async () => {
    status.reload();
    try {
      await onChanged(true);
    } catch {
      // the section's own status is reloaded; the page keeps the connection it had
    }
  };

  const register = async (confirm: boolean) => {
    setBusy('register');
    setError(null);
    setOutcome(null);
    try {
      const answer = await api.registerStripe(env, confirm ? { confirm: true } : {});
      setMismatch(false);
      setOutcome({ kind: 'registered', answer });
      await afterChange();
    } catch (err) {
      if (!confirm && err instanceof ApiError && err.code === 'mode_mismatch') setMismatch(true);
      else {
        setMismatch(false);
        setError(describeError(err));
      }
    } finally {
      setBusy(null);
    }
  };

  const deregister = async () => {
    setConfirmDeregister(false);
    setBusy('deregister');
    setError(null);
    setOutcome(null);
    try {
      const answer = await api.deregisterStripe(env);
      setOutcome({ kind: 'deregistered', answer });
      await afterChange();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card endpoint" aria-labelledby="stripe-endpoint-title">
      <div className="row spread">
        <h2 id="stripe-endpoint-title">Stripe endpoint</h2>
        <span className={`badge chip-state ${toneClass(chip.tone)}`} data-testid="endpoint-chip">
          {status.loading && !s ? 'Checking…' : chip.label}
        </span>
      </div>
      <p className="muted small">
        Let Switchyard create the webhook endpoint in your Stripe account for this environment&apos;s URL, keep its
        event types in step with the deployed workflows, and store its signing secret.
      </p>
      {status.error && (
        <p className="error" role="alert">
          {status.error}
        </p>
      )}
      {s && <EndpointFacts status={s} />}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {outcome && <OutcomeText outcome={outcome} />}

      <div className="actions start">
        <button
          type="button"
          className="btn primary"
          disabled={busy !== null || !s}
          onClick={() => void register(false)}
        >
          {busy === 'register'
            ? registered
              ? 'Updating…'
              : 'Registering…'
            : registered
              ? 'Update registration'
              : 'Register'}
        </button>
        {registered && (
          <button
            type="button"
            className="btn danger"
            disabled={busy !== null}
            onClick={() => setConfirmDeregister(true)}
          >
            {busy === 'deregister' ? 'Deregistering…' : 'Deregister'}
          </button>
        )}
      </div>

      <RecoverEvents env={env} onDone={() => void onChanged(false)} afterRecover={status.reload} />

      <Dialog title="Key mode does not fit this environment" open={mismatchOpen} onClose={() => setMismatch(false)}>
        <p className="confirm-text warnings-text" data-testid="mismatch-message">
          {mismatchMessage(env, connection.mode)}
        </p>
        <p className="confirm-text">{mismatchRisk(env, connection.mode)}</p>
        <p className="confirm-text muted small">
          Register anyway only if this is really what you want; you can deregister later.
        </p>
        <div className="actions">
          <button
            ref={cancelMismatch}
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => setMismatch(false)}
          >
            Cancel
          </button>
          <button
            type="button"
            className="btn primary danger"
            disabled={busy !== null}
            onClick={() => void register(true)}
          >
            {busy === 'register' ? 'Registering…' : 'Register anyway'}
          </button>
        </div>
      </Dialog>

      <Dialog title="Deregister the endpoint?" open={confirmDeregister} onClose={() => setConfirmDeregister(false)}>
        <p className="confirm-text">
          This deletes the webhook endpoint <code>{s?.endpointId}</code> at Stripe, forgets its signing secret and
          switches the webhook off for <strong>{env}</strong>. Stripe stops sending events until you register again.
        </p>
        <div className="actions">
          <button ref={cancelDeregister} type="button" className="btn" onClick={() => setConfirmDeregister(false)}>
            Cancel
          </button>
          <button type="button" className="btn primary danger" onClick={() => void deregister()}>
            Deregister
          </button>
        </div>
      </Dialog>
    </section>
  );
}

function EndpointFacts({ status: s }: { status: StripeRegistrationStatus }) {
  const drift = eventDrift(s.enabledEvents, s.neededEvents);
  const urlMoved = s.registered && s.url !== null && s.webhookUrl !== null && s.url !== s.webhookUrl;
  return (
    <>
      {s.stripeError && (
        <p className="error" role="alert">
          {s.stripeError}
        </p>
      )}
      <dl className="facts">
        {s.registered ? (
          <>
            <dt>Endpoint</dt>
            <dd className="endpoint-id">
              <code data-testid="endpoint-id">{s.endpointId}</code>
              {s.endpointId && <CopyButton text={s.endpointId} label="Copy id" />}
            </dd>
            {s.url && (
              <>
                <dt>Delivers to</dt>
                <dd>
                  <code className="url">{s.url}</code>
                </dd>
              </>
            )}
            <dt>Enabled events</dt>
            <dd>
              <EventList types={s.enabledEvents} label="Enabled events" />
            </dd>
            <dt>Registered</dt>
            <dd>{formatTime(s.registeredAt)}</dd>
          </>
        ) : (
          <>
            <dt>Events to enable</dt>
            <dd>
              <EventList types={s.neededEvents} label="Events to enable" />
            </dd>
          </>
        )}
        <dt>Last event received</dt>
        <dd>{formatTime(s.lastEventReceivedAt)}</dd>
        <dt>Last reconciled</dt>
        <dd>{formatTime(s.lastReconciledAt)}</dd>
      </dl>
      {s.registered && (drift.missing.length > 0 || drift.extra.length > 0 || urlMoved) && (
        <div className="warnings drift" role="note" aria-label="Endpoint out of date">
          <strong>Out of date.</strong> Update the registration to fix it.
          <ul>
            {urlMoved && (
              <li>
                Stripe delivers to <code>{s.url}</code>, but the webhook URL is now <code>{s.webhookUrl}</code>.
              </li>
            )}
            {drift.missing.length > 0 && (
              <li>
                Needed but not enabled ({drift.missing.length}): {drift.missing.join(', ')}
              </li>
            )}
            {drift.extra.length > 0 && (
              <li>
                Enabled but no longer needed ({drift.extra.length}): {drift.extra.join(', ')}
              </li>
            )}
          </ul>
        </div>
      )}
    </>
  );
}

const COMPACT = 6;

/** Event types as chips: the first few, and a toggle for the rest. */
export function EventList({ types, label }: { types: readonly string[]; label: string }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  if (types.length === 0) return <span className="muted">none</span>;
  if (types.length === 1 && types[0] === '*') return <span>all event types</span>;
  const shown = expanded ? types : types.slice(0, COMPACT);
  const hidden = types.length - shown.length;
  return (
    <div className="event-list">
      <ul id={id} className="chips" aria-label={label}>
        {shown.map((t) => (
          <li key={t} className="chip">
            <code>{t}</code>
          </li>
        ))}
      </ul>
      {types.length > COMPACT && (
        <button
          type="button"
          className="btn ghost small"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Show fewer' : `Show all ${types.length} (${hidden} more)`}
        </button>
      )}
    </div>
  );
}

function OutcomeText({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'deregistered') {
    const { endpointId, deleted } = outcome.answer;
    return (
      <p className="ok" role="status">
        {deleted ? `Deleted endpoint ${endpointId} at Stripe` : `Endpoint ${endpointId} was already gone at Stripe`}
        {'; the webhook is off.'}
      </p>
    );
  }
  const a = outcome.answer;
  const account = a.account.name ? `${a.account.name} (${a.account.id})` : a.account.id;
  return (
    <div role="status">
      <p className="ok">
        {a.created ? 'Created' : 'Updated'} endpoint {a.endpointId} in {account}, {a.mode} mode, with{' '}
        {a.enabledEvents.length} event {a.enabledEvents.length === 1 ? 'type' : 'types'}.
      </p>
      {a.warnings.length > 0 && (
        <ul className="warnings" aria-label="Registration warnings">
          {a.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Recover missed events": one reconcile call over a chosen range, with elapsed time while it runs. */
function RecoverEvents({
  env,
  onDone,
  afterRecover,
}: {
  env: Environment;
  onDone: () => void;
  afterRecover: () => void;
}) {
  const [range, setRange] = useState<RecoverRangeId>('3d');
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [result, setResult] = useState<ReconcileResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  useEffect(() => {
    if (startedAt === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [startedAt]);

  const run = async () => {
    const start = Date.now();
    setStartedAt(start);
    setNow(start);
    setResult(null);
    setError(null);
    try {
      setResult(await api.reconcileStripe(env, sinceFor(range, start)));
      afterRecover();
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setStartedAt(null);
    }
  };

  const running = startedAt !== null;
  return (
    <section className="recover" aria-labelledby="recover-title">
      <h3 id="recover-title">Recover missed events</h3>
      <p className="muted small">
        Lists Stripe&apos;s events of the chosen range and ingests the ones that never arrived, through the same inbox
        as webhooks: each event runs each matching workflow once.
      </p>
      <div className="row">
        <label htmlFor={selectId}>Time range</label>
        <select
          id={selectId}
          value={range}
          disabled={running}
          onChange={(e) => setRange(e.target.value as RecoverRangeId)}
        >
          {RECOVER_RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="button" className="btn" disabled={running} onClick={() => void run()}>
          {running ? 'Running…' : 'Run'}
        </button>
      </div>
      {running && (
        <div className="row recover-progress">
          <progress aria-label="Recovering missed events" />
          <span className="muted small" data-testid="recover-elapsed">
            {formatElapsed(now - startedAt)}
          </span>
        </div>
      )}
      {result && (
        <p className="ok" role="status">
          Scanned {result.scanned} {result.scanned === 1 ? 'event' : 'events'}: ingested {result.ingested}, already had{' '}
          {result.alreadyHad}.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
