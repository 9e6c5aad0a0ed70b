import { lazy, Suspense, useEffect, useState } from 'react';
import { api, onUnauthorized } from './api/client.js';
import { LoginPage } from './auth/LoginPage.js';
import { ConnectionPage } from './pages/ConnectionPage.js';
import { EventsPage } from './pages/EventsPage.js';
import { ExecutionsPage } from './pages/ExecutionsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { TablesPage } from './pages/TablesPage.js';
import { WorkflowsPage } from './pages/WorkflowsPage.js';
import { useRoute } from './router.js';
import { Shell } from './Shell.js';

// The canvas brings React Flow and the engine (zod, JSONata, sample events): loaded only when a workflow opens.
const WorkflowEditorPage = lazy(() => import('./canvas/WorkflowEditorPage.js'));

type AuthState = 'checking' | 'in' | 'out';

export function App() {
  const [auth, setAuth] = useState<AuthState>('checking');

  useEffect(() => {
    api.session().then(
      (s) => setAuth(s.authenticated ? 'in' : 'out'),
      () => setAuth('out'),
    );
    return onUnauthorized(() => setAuth('out'));
  }, []);

  if (auth === 'checking')
    return (
      <div className="splash" aria-busy="true">
        Loading…
      </div>
    );
  if (auth === 'out') return <LoginPage onLoggedIn={() => setAuth('in')} />;
  return (
    <Shell onLoggedOut={() => setAuth('out')}>
      <Routes />
    </Shell>
  );
}

function Routes() {
  const route = useRoute();
  switch (route.section) {
    case 'connection':
      return <ConnectionPage env={route.env} />;
    case 'events':
      return <EventsPage env={route.env} eventId={route.id} />;
    case 'executions':
      return <ExecutionsPage env={route.env} />;
    case 'tables':
      return <TablesPage env={route.env} table={route.id} />;
    case 'settings':
      return <SettingsPage env={route.env} />;
    case 'workflows':
      if (!route.id) return <WorkflowsPage env={route.env} />;
      return (
        <Suspense fallback={<div className="page-loading">Loading the canvas…</div>}>
          <WorkflowEditorPage
            key={route.id}
            env={route.env}
            workflowId={route.id}
            executionId={route.params.get('execution')}
          />
        </Suspense>
      );
  }
}
