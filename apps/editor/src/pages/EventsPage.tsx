import { useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Environment, EventSummary, EventWorkflow } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { JsonView } from '../components/JsonView.js';
import { Link } from '../components/Link.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useAsync } from '../components/useAsync.js';
import { usePaged } from '../components/usePaged.js';
import { href } from '../router.js';

export function EventsPage({ env, eventId }: { env: Environment; eventId: string | null }) {
  const [type, setType] = useState('');
  const [filter, setFilter] = useState('');
  const events = usePaged((cursor) => api.events(env, { type: filter || undefined, cursor }), [env, filter]);

  return (
    <div className="page split">
      <section className="split-main">
        <header className="page-head">
          <h1>Events</h1>
          <p className="muted">
            Stripe events received by the <strong>{env}</strong> environment, newest first.
          </p>
        </header>
        <form
          className="row filters"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter(type.trim());
          }}
        >
          <input
            aria-label="Filter by event type"
            placeholder="Event type, e.g. invoice.paid"
            value={type}
            onChange={(e) => setType(e.target.value)}
          />
          <button type="submit" className="btn">
            Filter
          </button>
          <button type="button" className="btn ghost" onClick={events.reload}>
            Refresh
          </button>
        </form>
        {events.error && (
          <p className="error" role="alert">
            {events.error}
          </p>
        )}
        {events.items.length === 0 && !events.loading && !events.error && (
          <p className="muted card empty">
            No events yet. Send one from Stripe to the webhook URL on the connection page.
          </p>
        )}
        {events.items.length > 0 && <EventTable env={env} events={events.items} selected={eventId} />}
        {events.nextCursor && (
          <button type="button" className="btn" onClick={events.more} disabled={events.loading}>
            Load more
          </button>
        )}
      </section>
      {eventId && <EventDetailPanel key={eventId} env={env} eventId={eventId} />}
    </div>
  );
}

function EventTable({ env, events, selected }: { env: Environment; events: EventSummary[]; selected: string | null }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Type</th>
          <th>Object</th>
          <th>Status</th>
          <th>Received</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} aria-selected={e.id === selected} className={e.id === selected ? 'selected' : undefined}>
            <td>
              <Link href={href(env, 'events', e.id)}>{e.type}</Link>
              {e.livemode && <span className="badge">live</span>}
              {e.test && <TestBadge />}
            </td>
            <td>
              <code>{e.objectId ?? '—'}</code>
            </td>
            <td>
              <StatusBadge status={e.status} />
            </td>
            <td>{formatTime(e.receivedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventDetailPanel({ env, eventId }: { env: Environment; eventId: string }) {
  const event = useAsync(() => api.event(env, eventId), [env, eventId]);
  const [replayed, setReplayed] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const replay = async () => {
    setError(null);
    try {
      const runs = await api.replayEvent(env, eventId);
      setReplayed(runs.map((r) => r.id));
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <aside className="split-side card" aria-label="Event detail">
      <header className="row spread">
        <h2>
          {event.data?.type ?? eventId} {event.data?.test && <TestBadge />}
        </h2>
        <Link href={href(env, 'events')} className="btn ghost small" aria-label="Close event">
          Close
        </Link>
      </header>
      {event.error && (
        <p className="error" role="alert">
          {event.error}
        </p>
      )}
      {event.data && (
        <>
          <dl className="facts">
            <dt>Event id</dt>
            <dd>
              <code>{event.data.id}</code>
            </dd>
            <dt>Action</dt>
            <dd>{event.data.action}</dd>
            <dt>Created in Stripe</dt>
            <dd>{formatTime(event.data.created)}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={event.data.status} />
            </dd>
          </dl>
          <div className="row">
            <button type="button" className="btn" onClick={replay}>
              Replay through workflows
            </button>
            <Link className="btn ghost" href={`${href(env, 'executions')}?eventId=${encodeURIComponent(eventId)}`}>
              Executions of this event
            </Link>
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <h3>Workflows</h3>
          <WhyList env={env} workflows={event.data.workflows} />
          {replayed && (
            <p className="ok" role="status">
              {replayed.length === 0
                ? 'No workflow matches this event here.'
                : `Started ${replayed.length} execution(s).`}{' '}
              {replayed.length > 0 && (
                <Link href={`${href(env, 'executions')}?eventId=${encodeURIComponent(eventId)}`}>See them</Link>
              )}
            </p>
          )}
          <h3>Payload</h3>
          <JsonView value={event.data.payload} label="Event payload" />
        </>
      )}
    </aside>
  );
}

/** A test run's sample: it never came from Stripe. */
function TestBadge() {
  return (
    <span
      className="badge status-pending"
      title="A sample stored by a test run from the editor, not a delivery from Stripe"
    >
      Test
    </span>
  );
}

const REASON_TEXT: Record<EventWorkflow['reason'], string> = {
  ran: 'ran',
  'other trigger': 'listens to another kind of event',
  'action not selected': 'its trigger does not select this action',
  'not published here': 'not published in this environment',
  paused: 'paused in this environment',
  'not running then': 'matches, but was not running when the event arrived',
};

/** Why each workflow of the environment ran on this event or not. */
function WhyList({ env, workflows }: { env: Environment; workflows: EventWorkflow[] }) {
  if (workflows.length === 0) return <p className="muted">No workflows yet.</p>;
  return (
    <ul className="why-list" aria-label="Why each workflow ran or not">
      {workflows.map((w) => (
        <li key={w.workflowId} data-reason={w.reason}>
          <Link href={href(env, 'workflows', w.workflowId)}>{w.name}</Link>:{' '}
          <span className={w.ran ? 'ok' : 'muted'}>{REASON_TEXT[w.reason]}</span>
        </li>
      ))}
    </ul>
  );
}
