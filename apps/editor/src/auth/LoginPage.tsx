import { type FormEvent, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';

/** Log in with the admin token; the server answers with an HttpOnly session cookie. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(token.trim());
      onLoggedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'unauthorized'
          ? 'That token is not the admin token.'
          : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>
          <span className="brand-mark" aria-hidden="true">
            ⇄
          </span>{' '}
          Switchyard
        </h1>
        <p className="muted">
          Sign in with the admin token the server printed on first start (or SWITCHYARD_ADMIN_TOKEN).
        </p>
        <label className="field">
          <span>Admin token</span>
          <input
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
            // biome-ignore lint/a11y/noAutofocus: the login screen has one field; focusing it is what the user came for
            autoFocus
          />
        </label>
        {/* The line is kept even while empty, so an error does not move the card under the pointer. */}
        <p className="error login-error" role="alert">
          {error}
        </p>
        <button type="submit" className="btn primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
