import { ALERT_WINDOW_TEXT, REFUSAL_ALERT_THRESHOLD } from '@switchyard/contract/alert-limits';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { AlertDelivery, AlertTestResult, Environment } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { useAsync } from '../components/useAsync.js';

type Note = { kind: 'status' | 'alert'; text: string };

/** Failures the builder can fix from here, in their words; any other failure keeps the server's reason. */
const FAILURE_TEXT: Record<NonNullable<AlertDelivery['code']>, string> = {
  smtp_not_configured:
    'Email is not set up for this environment: add an SMTP server on this page, or set SMTP_URL on the server.',
};

function deliveryText(what: string, d: AlertDelivery | null): string | null {
  if (!d) return null;
  if (d.ok) return `${what}: delivered ${formatTime(d.at)}`;
  return `${what}: failed ${formatTime(d.at)}: ${d.code ? FAILURE_TEXT[d.code] : d.error}`;
}

/** What a test alert did at each destination, in one sentence each. */
export function testOutcome(result: AlertTestResult): Note {
  const parts = [deliveryText('Email', result.email), deliveryText('Webhook', result.webhook)].filter(Boolean);
  const failed = result.email?.ok === false || result.webhook?.ok === false;
  return { kind: failed ? 'alert' : 'status', text: `Test alert: ${parts.join('; ')}` };
}

/**
 * Where an environment reports dead-lettered runs and repeatedly refused deliveries: an email address (sent through
 * the environment's SMTP server) and a webhook URL (write-only, as it often holds a token).
 */
export function AlertsSection({ env }: { env: Environment }) {
  const id = useId();
  const settings = useAsync(() => api.alerts(env), [env]);
  const [email, setEmail] = useState<string | null>(null);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [note, setNote] = useState<Note | null>(null);
  const [busy, setBusy] = useState(false);
  const shownEmail = email ?? settings.data?.email ?? '';
  const last = settings.data?.lastDelivery;

  const run = async (work: () => Promise<Note>) => {
    setBusy(true);
    try {
      setNote(await work());
    } catch (err) {
      setNote({
        kind: 'alert',
        text:
          err instanceof ApiError && err.issues.length > 0
            ? err.issues.map((i) => i.message).join('; ')
            : describeError(err),
      });
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      settings.setData(
        await api.saveAlerts(env, { email: shownEmail.trim() || null, ...(webhookUrl ? { webhookUrl } : {}) }),
      );
      setEmail(null);
      setWebhookUrl('');
      return { kind: 'status', text: 'Saved' };
    });
  };
  const removeWebhook = () =>
    run(async () => {
      settings.setData(await api.saveAlerts(env, { email: shownEmail.trim() || null, webhookUrl: null }));
      return { kind: 'status', text: 'Webhook removed' };
    });
  const sendTest = () =>
    run(async () => {
      const result = await api.testAlert(env);
      settings.reload();
      return testOutcome(result);
    });

  const hasDestination = Boolean(settings.data?.email || settings.data?.webhookUrl);
  return (
    <section className="card" aria-label="Alerts">
      <h2>Alerts</h2>
      <p className="muted small">
        Told when a run in {env} fails with no retries left, and when deliveries are refused repeatedly (
        {REFUSAL_ALERT_THRESHOLD} of one reason in {ALERT_WINDOW_TEXT}, e.g. a wrong signing secret). At most one alert
        per workflow or reason every {ALERT_WINDOW_TEXT}; the next one carries the count.
      </p>
      {settings.error && (
        <p className="error" role="alert">
          {settings.error}
        </p>
      )}
      <form className="form" onSubmit={save} aria-label="Alert destinations">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email address</label>
          <input
            id={`${id}-email`}
            type="email"
            value={shownEmail}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="ops@example.com"
          />
          <span className="hint">Sent through this environment's email (SMTP) settings above.</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-webhook`}>Webhook URL</label>
          <input
            id={`${id}-webhook`}
            type="password"
            autoComplete="off"
            value={webhookUrl}
            onChange={(e) => setWebhookUrl(e.target.value)}
            placeholder={settings.data?.webhookUrl ?? 'https://hooks.slack.com/services/…'}
          />
          <span className="hint">
            An https:// URL that receives a JSON POST (its <code>text</code> suits Slack). Write-only: shown masked.
          </span>
        </div>
        <div className="row">
          <button type="submit" className="btn primary" disabled={busy || settings.loading}>
            Save alerts
          </button>
          {settings.data?.webhookUrl && (
            <button type="button" className="btn ghost danger" onClick={removeWebhook} disabled={busy}>
              Remove webhook
            </button>
          )}
          <button type="button" className="btn" onClick={sendTest} disabled={busy || !hasDestination}>
            Send test alert
          </button>
        </div>
      </form>
      {(last?.email || last?.webhook) && (
        <ul className="muted small" aria-label="Last alert deliveries">
          {[deliveryText('Last email alert', last.email), deliveryText('Last webhook alert', last.webhook)]
            .filter((t): t is string => t !== null)
            .map((t) => (
              <li key={t}>{t}</li>
            ))}
        </ul>
      )}
      {note && (
        <p className={note.kind === 'alert' ? 'field-error' : 'muted'} role={note.kind}>
          {note.text}
        </p>
      )}
    </section>
  );
}
