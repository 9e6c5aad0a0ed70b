import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { Environment } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { useAsync } from '../components/useAsync.js';
import { AlertsSection } from './AlertsSection.js';
import { forgetEnvironmentSettings } from './environmentSettings.js';

const NAME_RULE = /^[A-Z][A-Z0-9_]{0,63}$/;
const NAME_HINT = 'Upper-case letters, digits and _, starting with a letter.';

/** An environment's secrets (write-only values, shown masked) and variables (JSON, shown in full). */
export function SettingsPage({ env }: { env: Environment }) {
  return (
    <div className="page">
      <header className="page-head">
        <h1>Secrets &amp; variables</h1>
        <p className="muted">
          For the <strong>{env}</strong> environment. Workflows read them as <code>{'{{ context.secrets.NAME }}'}</code>{' '}
          and <code>{'{{ context.vars.NAME }}'}</code>; a secret's value is sent where a node uses it and shown masked
          everywhere else.
        </p>
      </header>
      <SecretsSection key={`secrets:${env}`} env={env} />
      <VarsSection key={`vars:${env}`} env={env} />
      <SmtpSection key={`smtp:${env}`} env={env} />
      <AlertsSection key={`alerts:${env}`} env={env} />
    </div>
  );
}

function SecretsSection({ env }: { env: Environment }) {
  const id = useId();
  const list = useAsync(() => api.secrets(env), [env]);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!NAME_RULE.test(name)) return setError(`Name: ${NAME_HINT}`);
    setBusy(true);
    try {
      await api.putSecret(env, name, value);
      forgetEnvironmentSettings(env);
      setName('');
      setValue('');
      setError(null);
      list.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (secret: string) => {
    if (!window.confirm(`Delete the secret ${secret} from ${env}? Workflows that use it will fail until it is set.`))
      return;
    try {
      await api.deleteSecret(env, secret);
      forgetEnvironmentSettings(env);
      list.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="card" aria-label="Secrets">
      <h2>Secrets</h2>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {list.data?.length === 0 && <p className="muted">No secrets in {env} yet.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table" aria-label="Secrets list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Value</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.name}>
                <td>
                  <code>{s.name}</code>
                </td>
                <td>
                  <code>{s.masked}</code>
                </td>
                <td>{formatTime(s.updatedAt)}</td>
                <td className="row">
                  <button type="button" className="btn ghost" onClick={() => setName(s.name)}>
                    Replace
                  </button>
                  <button
                    type="button"
                    className="btn ghost danger"
                    aria-label={`Delete secret ${s.name}`}
                    onClick={() => remove(s.name)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={save} aria-label="Set a secret">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="SLACK_WEBHOOK_URL"
          />
          <span className="hint">{NAME_HINT}</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-value`}>Value</label>
          <input
            id={`${id}-value`}
            type="password"
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={list.data?.some((s) => s.name === name) ? 'a new value replaces the stored one' : ''}
          />
          <span className="hint">Write-only: it is stored encrypted and never shown again.</span>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={busy || !name || !value}>
          Save secret
        </button>
      </form>
    </section>
  );
}

function VarsSection({ env }: { env: Environment }) {
  const id = useId();
  const list = useAsync(() => api.vars(env), [env]);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!NAME_RULE.test(name)) return setError(`Name: ${NAME_HINT}`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return setError('Value: not JSON. A text needs quotes: "ops".');
    }
    setBusy(true);
    try {
      await api.putVar(env, name, value);
      forgetEnvironmentSettings(env);
      setName('');
      setText('');
      setError(null);
      list.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (variable: string) => {
    if (!window.confirm(`Delete the variable ${variable} from ${env}?`)) return;
    try {
      await api.deleteVar(env, variable);
      forgetEnvironmentSettings(env);
      list.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="card" aria-label="Variables">
      <h2>Variables</h2>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {list.data?.length === 0 && <p className="muted">No variables in {env} yet.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table" aria-label="Variables list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Value</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((v) => (
              <tr key={v.name}>
                <td>
                  <code>{v.name}</code>
                </td>
                <td>
                  <code>{JSON.stringify(v.value)}</code>
                </td>
                <td>{formatTime(v.updatedAt)}</td>
                <td className="row">
                  <button
                    type="button"
                    className="btn ghost"
                    onClick={() => {
                      setName(v.name);
                      setText(JSON.stringify(v.value, null, 2));
                    }}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="btn ghost danger"
                    aria-label={`Delete variable ${v.name}`}
                    onClick={() => remove(v.name)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={save} aria-label="Set a variable">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="SUPPORT_EMAIL" />
          <span className="hint">{NAME_HINT}</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-value`}>Value (JSON)</label>
          <textarea
            id={`${id}-value`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            placeholder='"ops@example.com"'
          />
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={busy || !name || !text}>
          Save variable
        </button>
      </form>
    </section>
  );
}

function SmtpSection({ env }: { env: Environment }) {
  const id = useId();
  const settings = useAsync(() => api.smtp(env), [env]);
  const [url, setUrl] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [note, setNote] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const shownFrom = from ?? settings.data?.from ?? '';

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await api.saveSmtp(env, { ...(url ? { url } : {}), from: shownFrom || null });
      settings.setData(saved);
      setUrl('');
      setFrom(null);
      setNote({ kind: 'status', text: 'Saved' });
    } catch (err) {
      setNote({ kind: 'alert', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(`Remove the SMTP server of ${env}? Email nodes then use the server's SMTP_URL.`)) return;
    try {
      settings.setData(await api.saveSmtp(env, { url: null, from: null }));
      setNote({ kind: 'status', text: 'Removed' });
    } catch (err) {
      setNote({ kind: 'alert', text: messageOf(err) });
    }
  };
  const sendTest = async () => {
    setBusy(true);
    try {
      await api.testSmtp(env, to);
      setNote({ kind: 'status', text: `Test email sent to ${to}` });
    } catch (err) {
      setNote({ kind: 'alert', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label="Email (SMTP)">
      <h2>Email (SMTP)</h2>
      <p className="muted small">
        The server email nodes of {env} send through. Without one, the server's SMTP_URL and SMTP_FROM apply.
      </p>
      <form className="form" onSubmit={save} aria-label="SMTP settings">
        <div className="field">
          <label htmlFor={`${id}-url`}>SMTP URL</label>
          <input
            id={`${id}-url`}
            type="password"
            autoComplete="off"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={settings.data?.url ?? 'smtp://user:password@smtp.example.com:587'}
          />
          <span className="hint">Write-only: stored encrypted; the password is never shown again.</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From address</label>
          <input
            id={`${id}-from`}
            value={shownFrom}
            onChange={(e) => setFrom(e.target.value)}
            placeholder="billing@example.com"
          />
        </div>
        <div className="row">
          <button type="submit" className="btn primary" disabled={busy || (!url && !settings.data?.url)}>
            Save email settings
          </button>
          {settings.data?.url && (
            <button type="button" className="btn ghost danger" onClick={remove}>
              Remove
            </button>
          )}
        </div>
      </form>
      <div className="field">
        <label htmlFor={`${id}-to`}>Send a test email to</label>
        <div className="row">
          <input id={`${id}-to`} type="email" value={to} onChange={(e) => setTo(e.target.value)} />
          <button type="button" className="btn" onClick={sendTest} disabled={busy || !to}>
            Send test email
          </button>
        </div>
      </div>
      {note && (
        <p className={note.kind === 'alert' ? 'field-error' : 'muted'} role={note.kind}>
          {note.text}
        </p>
      )}
    </section>
  );
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError && err.issues.length > 0) return err.issues.map((i) => i.message).join('; ');
  return describeError(err);
}

export default SettingsPage;
