import { type FormEvent, useCallback, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { Connection, ConnectionInput, Environment, Issue } from '../api/types.js';
import { CopyButton } from '../components/CopyButton.js';
import { formatTime } from '../components/format.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useAsync } from '../components/useAsync.js';
import { connectionWarnings } from './connectionWarnings.js';
import { RefusedDeliveriesSection } from './RefusedDeliveriesSection.js';
import { StripeEndpointSection } from './StripeEndpointSection.js';

/** A secret field: empty keeps the stored value, "clear" sends null. Never shows the secret itself. */
type SecretEdit = { mode: 'keep' } | { mode: 'set'; value: string } | { mode: 'clear' };

function secretPayload(edit: SecretEdit): string | null | undefined {
  if (edit.mode === 'clear') return null;
  if (edit.mode === 'set' && edit.value.trim() !== '') return edit.value.trim();
  return undefined;
}

export function ConnectionPage({ env }: { env: Environment }) {
  const conn = useAsync(() => api.connection(env), [env]);
  const { setData } = conn;
  // Until the new environment's answer arrives, the hook still holds the previous one: never show or edit that.
  const connection = conn.data?.environment === env ? conn.data : undefined;
  // Register and deregister change the stored settings (webhook on/off, signing secret): the form starts over then.
  const [formRevision, setFormRevision] = useState(0);
  const refresh = useCallback(
    async (settingsChanged: boolean) => {
      const next = await api.connection(env);
      setData(next);
      if (settingsChanged) setFormRevision((r) => r + 1);
    },
    [env, setData],
  );
  return (
    <div className="page">
      <header className="page-head">
        <h1>Stripe connection</h1>
        <p className="muted">
          How the <strong>{env}</strong> environment talks to Stripe and where Stripe sends its webhooks.
        </p>
      </header>
      {conn.error && (
        <p className="error" role="alert">
          {conn.error}
        </p>
      )}
      {connection && (
        <ConnectionForm key={`${env}:${formRevision}`} env={env} connection={connection} onSaved={conn.setData} />
      )}
      {connection && <ConnectionStatus connection={connection} />}
      {connection && <StripeEndpointSection key={env} env={env} connection={connection} onChanged={refresh} />}
      {connection && <RefusedDeliveriesSection key={`refused:${env}`} env={env} />}
    </div>
  );
}

function ConnectionForm({
  env,
  connection,
  onSaved,
}: {
  env: Environment;
  connection: Connection;
  onSaved: (c: Connection) => void;
}) {
  const [enabled, setEnabled] = useState(connection.webhookEnabled);
  const [path, setPath] = useState(connection.webhookPath ?? `/stripe/${env}`);
  const [secretKey, setSecretKey] = useState<SecretEdit>({ mode: 'keep' });
  const [webhookSecret, setWebhookSecret] = useState<SecretEdit>({ mode: 'keep' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setIssues([]);
    const input: ConnectionInput = { webhookEnabled: enabled, webhookPath: path.trim() };
    const sk = secretPayload(secretKey);
    const ws = secretPayload(webhookSecret);
    if (sk !== undefined) input.secretKey = sk;
    if (ws !== undefined) input.webhookSecret = ws;
    try {
      const next = await api.saveConnection(env, input);
      onSaved(next);
      setSecretKey({ mode: 'keep' });
      setWebhookSecret({ mode: 'keep' });
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) {
        setIssues(err.issues);
        setError(err.code === 'path_taken' ? 'Another environment already uses this webhook path.' : err.message);
      } else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const issueFor = (field: string) => issues.find((i) => i.path === field || i.path.endsWith(`.${field}`))?.message;
  const warnings = connectionWarnings({
    env,
    typedKey: secretKey.mode === 'set' ? secretKey.value : '',
    storedMode: secretKey.mode === 'clear' ? null : connection.mode,
    webhookEnabled: enabled,
    webhookUrl: connection.webhookUrl,
  });

  return (
    <form className="card form" onSubmit={submit} onChange={() => setSaved(false)} aria-label="Connection settings">
      <SecretField
        id="secretKey"
        label="Secret key"
        hint="sk_test_…, sk_live_… or a restricted key rk_…. Used by Stripe API nodes."
        masked={connection.secretKey}
        edit={secretKey}
        onChange={setSecretKey}
        error={issueFor('secretKey')}
      />
      {connection.mode && (
        <p className="muted small">
          Mode: <strong>{connection.mode}</strong>
        </p>
      )}
      <div className="field">
        <label className="toggle">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>Receive webhooks</span>
        </label>
        <span className="hint">When off, deliveries to this path are answered 404.</span>
      </div>
      <label className="field">
        <span>Webhook path</span>
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/stripe/production"
          aria-invalid={Boolean(issueFor('webhookPath'))}
        />
        <span className="hint">Unique across environments; the URL is the public URL + /api + this path.</span>
        {issueFor('webhookPath') && <span className="field-error">{issueFor('webhookPath')}</span>}
      </label>
      <SecretField
        id="webhookSecret"
        label="Webhook signing secret"
        hint="whsec_… from the Stripe endpoint. Every delivery is verified with it."
        masked={connection.webhookSecret}
        edit={webhookSecret}
        onChange={setWebhookSecret}
        error={issueFor('webhookSecret')}
      />
      {connection.previousWebhookSecretExpiresAt && (
        <p className="muted small rotation" role="note" data-testid="secret-rotation">
          Previous signing secret accepted until {formatTime(connection.previousWebhookSecretExpiresAt)}: deliveries
          signed with either secret verify until then.
        </p>
      )}
      {warnings.length > 0 && (
        <ul className="warnings" aria-label="Check before saving">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save connection'}
        </button>
        {saved && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}

function SecretField(props: {
  id: string;
  label: string;
  hint: string;
  masked: string | null;
  edit: SecretEdit;
  onChange: (e: SecretEdit) => void;
  error?: string | undefined;
}) {
  const { id, label, hint, masked, edit, onChange, error } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          disabled={edit.mode === 'clear'}
          placeholder={masked ? `${masked} (stored; type to replace)` : 'not set'}
          value={edit.mode === 'set' ? edit.value : ''}
          onChange={(e) => onChange(e.target.value === '' ? { mode: 'keep' } : { mode: 'set', value: e.target.value })}
          aria-invalid={Boolean(error)}
        />
        {masked && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => onChange(edit.mode === 'clear' ? { mode: 'keep' } : { mode: 'clear' })}
          >
            {edit.mode === 'clear' ? 'Keep' : 'Remove'}
          </button>
        )}
      </div>
      <span className="hint">
        {edit.mode === 'clear'
          ? 'Will be removed on save.'
          : masked
            ? `Stored: ${masked}. Write-only: leave empty to keep it.`
            : hint}
      </span>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

function ConnectionStatus({ connection }: { connection: Connection }) {
  const counts = Object.entries(connection.eventCounts);
  return (
    <section className="card" aria-label="Webhook status">
      <h2>Webhook endpoint</h2>
      {connection.webhookUrl ? (
        <div className="row url-row">
          <code className="url" data-testid="webhook-url">
            {connection.webhookUrl}
          </code>
          <CopyButton text={connection.webhookUrl} label="Copy URL" />
        </div>
      ) : (
        <p className="muted">Set a webhook path to get the URL to register in Stripe.</p>
      )}
      {connection.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {connection.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Last event received</dt>
        <dd>{formatTime(connection.lastEventReceivedAt)}</dd>
        <dt title="Counted over the newest 1,000 events Stripe delivered, so the page stays fast however long the history">
          Recent events by status
        </dt>
        <dd>
          {counts.length === 0
            ? 'none yet'
            : counts.map(([status, n]) => (
                <span key={status} className="count">
                  <StatusBadge status={status} /> {n}
                </span>
              ))}
        </dd>
        <dt>Updated</dt>
        <dd>{formatTime(connection.updatedAt)}</dd>
      </dl>
    </section>
  );
}
