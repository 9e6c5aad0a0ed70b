import type { ReactNode } from 'react';
import { api } from './api/client.js';
import { ENVIRONMENTS, type Environment } from './api/types.js';
import { Link } from './components/Link.js';
import { href, navigate, type Section, useRoute } from './router.js';

const NAV: { section: Section; label: string }[] = [
  { section: 'workflows', label: 'Workflows' },
  { section: 'executions', label: 'Executions' },
  { section: 'events', label: 'Events' },
  { section: 'tables', label: 'Tables' },
  { section: 'connection', label: 'Stripe connection' },
  { section: 'settings', label: 'Secrets & variables' },
];

/** Top bar on every screen: product, sections, environment switcher, logout. */
export function Shell({ children, onLoggedOut }: { children: ReactNode; onLoggedOut: () => void }) {
  const route = useRoute();
  const switchEnv = (env: Environment) => {
    // Keep the current screen; a workflow stays open, other ids are per environment.
    const keepId = route.section === 'workflows' || route.section === 'tables' ? route.id : null;
    navigate(href(env, route.section, keepId));
  };
  const logout = async () => {
    try {
      await api.logout();
    } finally {
      onLoggedOut();
    }
  };
  return (
    <div className={`app env-${route.env}`}>
      <header className="topbar">
        <Link href={href(route.env, 'workflows')} className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⇄
          </span>{' '}
          Switchyard
        </Link>
        <nav aria-label="Sections" className="nav">
          {NAV.map((n) => (
            <Link
              key={n.section}
              href={href(route.env, n.section)}
              aria-current={route.section === n.section ? 'page' : undefined}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <label className="env-switch">
            <span>Environment</span>
            <select
              aria-label="Environment"
              value={route.env}
              onChange={(e) => switchEnv(e.target.value as Environment)}
            >
              {ENVIRONMENTS.map((env) => (
                <option key={env} value={env}>
                  {env}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn ghost" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main className="main">{children}</main>
    </div>
  );
}
