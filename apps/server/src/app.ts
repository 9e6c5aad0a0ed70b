import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { alertsApi } from './admin/alerts-api.js';
import { AdminCredentials, adminAuth } from './admin/auth.js';
import { ADMIN_BODY_LIMIT, adminBodyLimit, SESSION_BODY_LIMIT } from './admin/body-limit.js';
import { connectionsApi } from './admin/connections-api.js';
import { deploymentsApi } from './admin/deployments-api.js';
import { answerAdminError } from './admin/errors.js';
import { eventsApi } from './admin/events-api.js';
import { executionsApi } from './admin/executions-api.js';
import { LoginThrottle } from './admin/login-throttle.js';
import { rejectionsApi } from './admin/rejections-api.js';
import { declareAdminSecurity, failure, SECURITY } from './admin/schemas.js';
import { secretsApi } from './admin/secrets-api.js';
import { sessionApi } from './admin/session-api.js';
import { smtpApi } from './admin/smtp-api.js';
import { stripeAccountApi } from './admin/stripe-account-api.js';
import { tablesApi } from './admin/tables-api.js';
import { varsApi } from './admin/vars-api.js';
import { workflowsApi } from './admin/workflows-api.js';
import { AlertService } from './alerts/service.js';
import { AlertSettingsService } from './alerts/settings.js';
import type { Config } from './config.js';
import { ConnectionService } from './connections/service.js';
import { SecretBox } from './crypto/secrets.js';
import { type Database, ping } from './db/client.js';
import { DeploymentService } from './deployments/service.js';
import { EventService } from './events/service.js';
import { ExecutionService } from './executions/service.js';
import { Inbox } from './ingest/inbox.js';
import { webhookApp } from './ingest/route.js';
import { WebhookRouteCache } from './ingest/webhook-routes.js';
import type { Logger } from './logger.js';
import { Metrics } from './operations/metrics.js';
import { RefusalRecorder } from './rejections/recorder.js';
import { RefusalStore } from './rejections/store.js';
import { RecentEvents } from './runtime/recent-events.js';
import { Runtime } from './runtime/runtime.js';
import { SecretService } from './secrets/service.js';
import { SmtpSettingsService } from './secrets/smtp.js';
import { StripeAccountService } from './stripe-account/service.js';
import { TableService } from './tables/service.js';
import { WorkflowService } from './workflows/service.js';

export interface AppOptions {
  database: Database;
  masterKey: Buffer;
  adminToken: string;
  publicUrl: string;
  log: Logger;
  /** Unix seconds; tests pin it to check signature tolerance. */
  now?: () => number;
  /** Built editor to serve at `/`; defaults to apps/editor/dist. */
  editorDir?: string;
  stripeApiBase?: string;
  /** Let workflow HTTP calls reach private addresses (ALLOW_PRIVATE_NETWORK_REQUESTS). */
  allowPrivateNetwork?: boolean;
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  workerConcurrency?: number;
  leaseMs?: number;
  /** TRUST_PROXY: proxies in front whose X-Forwarded-For is believed for login throttling; 0 = none. */
  trustedProxies?: number;
  /** Longest a delivery waits for the store before answering 503; defaults to the ingest statement timeout + 1 s. */
  ingestStoreTimeoutMs?: number;
  workerThreads?: number;
  runTimeoutMs?: number;
}

export interface Services {
  connections: ConnectionService;
  events: EventService;
  inbox: Inbox;
  routes: WebhookRouteCache;
  workflows: WorkflowService;
  executions: ExecutionService;
  tables: TableService;
  /** Not started: main.ts (or a test) starts and stops it. */
  runtime: Runtime;
  metrics: Metrics;
  /** Webhook endpoint registration and reconcile for each environment's Stripe account. */
  stripeAccount: StripeAccountService;
  /** Pause and resume per workflow and environment. */
  deployments: DeploymentService;
  /** Each environment's secrets and variables for workflows. */
  secrets: SecretService;
  /** Each environment's SMTP server for email nodes. */
  smtp: SmtpSettingsService;
  /** The last refused deliveries of each environment, and the buffered recorder ingest tells. */
  refusalStore: RefusalStore;
  refusals: RefusalRecorder;
  /** Where each environment's alerts go, and the alerts themselves. */
  alertSettings: AlertSettingsService;
  alerts: AlertService;
}

/** The options main.ts and the CLI both build from the configuration. */
export function appOptionsFromConfig(config: Config, database: Database, log: Logger): AppOptions {
  return {
    database,
    masterKey: config.masterKey,
    adminToken: config.adminToken,
    publicUrl: config.publicUrl,
    log,
    stripeApiBase: config.stripeApiBase,
    allowPrivateNetwork: config.allowPrivateNetwork,
    smtpUrl: config.smtpUrl,
    smtpFrom: config.smtpFrom,
    workerConcurrency: config.workerConcurrency,
    leaseMs: config.leaseMs,
    trustedProxies: config.trustProxy,
    workerThreads: config.workerThreads,
    runTimeoutMs: config.runTimeoutMs,
  };
}

export function createServices(options: AppOptions): Services {
  const { db } = options.database;
  // An injected clock (tests) also decides when a rotated-out signing secret expires.
  const clock = options.now ? () => options.now!() * 1000 : Date.now;
  const box = new SecretBox(options.masterKey);
  const connections = new ConnectionService(db, box, options.publicUrl, clock);
  const secrets = new SecretService(db, box);
  const smtp = new SmtpSettingsService(db, box);
  const workflows = new WorkflowService(db);
  const tables = new TableService(options.database);
  const metrics = new Metrics(options.database);
  const recentEvents = new RecentEvents();
  const refusalStore = new RefusalStore(options.database);
  const alertSettings = new AlertSettingsService(db, box);
  const alerts = new AlertService({
    database: options.database,
    settings: alertSettings,
    refusals: refusalStore,
    smtp,
    smtpUrl: options.smtpUrl,
    smtpFrom: options.smtpFrom,
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    publicUrl: options.publicUrl,
    log: options.log,
    // Only an injected clock (tests) decides the alert windows; otherwise the database's does, see rate-limit.ts.
    ...(options.now ? { clock } : {}),
  });
  const refusals = new RefusalRecorder({
    store: refusalStore,
    log: options.log,
    clock,
    onWritten: (environment, reasons) => alerts.checkRefusals(environment, reasons),
  });
  const runtime = new Runtime({
    recentEvents,
    onFinished: (status) => metrics.runsFinished.inc({ status }),
    onDeadLettered: (run) => alerts.deadLettered(run),
    database: options.database,
    workflows,
    tables,
    connections,
    secrets,
    smtp,
    log: options.log,
    stripeApiBase: options.stripeApiBase ?? 'https://api.stripe.com',
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    smtpUrl: options.smtpUrl,
    smtpFrom: options.smtpFrom,
    ...(options.workerConcurrency ? { concurrency: options.workerConcurrency } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.workerThreads ? { threads: options.workerThreads } : {}),
    ...(options.runTimeoutMs ? { runTimeoutMs: options.runTimeoutMs } : {}),
  });
  const wake = () => runtime.worker.wake();
  // The inbox writes through the ingest pool, whose statement and lock timeouts turn a stalled database into 503s.
  const inbox = new Inbox(
    { ...options.database, query: options.database.queryIngest },
    {
      maxConcurrentBatches: options.database.driver === 'pglite' ? 1 : 4,
      onExecutionsCreated: wake,
      recentEvents,
    },
  );
  const routes = new WebhookRouteCache(connections, 1000, clock);
  const stripeAccount = new StripeAccountService({
    db,
    connections,
    workflows,
    inbox,
    routes,
    log: options.log,
    stripeApiBase: options.stripeApiBase ?? 'https://api.stripe.com',
    clock,
  });
  // Every save (editor) and publish (staging, production) keeps a registered endpoint's enabled_events current.
  workflows.onDeploymentsChanged = async (environments) => {
    for (const environment of environments) await stripeAccount.syncEnabledEvents(environment);
  };
  const deployments = new DeploymentService(db);
  deployments.onChanged = async (environment) => {
    await stripeAccount.syncEnabledEvents(environment);
  };
  return {
    deployments,
    connections,
    events: new EventService(db),
    inbox,
    routes,
    workflows,
    executions: new ExecutionService(db, wake),
    tables,
    runtime,
    metrics,
    stripeAccount,
    secrets,
    smtp,
    refusalStore,
    refusals,
    alertSettings,
    alerts,
  };
}

export function createApp(options: AppOptions, services: Services = createServices(options)) {
  const { log } = options;
  const app = new OpenAPIHono();

  app.get('/healthz', async (c) => {
    try {
      await ping(options.database.db);
      return c.json({ status: 'ok', database: options.database.driver });
    } catch {
      return c.json({ status: 'unavailable', database: options.database.driver }, 503);
    }
  });

  // Prometheus text; it carries counts and timings only, never payloads or secrets.
  app.get('/metrics', async (c) =>
    c.text(await services.metrics.registry.metrics(), 200, { 'Content-Type': services.metrics.registry.contentType }),
  );

  app.route(
    '/api',
    webhookApp(
      {
        routes: services.routes,
        inbox: services.inbox,
        storeTimeoutMs: options.ingestStoreTimeoutMs ?? options.database.ingestTimeouts.statementMs + 1000,
        ...(options.now ? { now: options.now } : {}),
      },
      log,
      services.metrics,
      (refusal) => services.refusals.record(refusal),
    ),
  );

  const credentials = new AdminCredentials(options.adminToken);
  const guardOptions = {
    throttle: new LoginThrottle(),
    publicOrigin: new URL(options.publicUrl).origin,
    trustedProxies: options.trustedProxies ?? 0,
  };
  const guard = adminAuth(credentials, guardOptions);
  const sessionLimit = adminBodyLimit(SESSION_BODY_LIMIT);
  const adminLimit = adminBodyLimit(ADMIN_BODY_LIMIT);
  const admin = new OpenAPIHono();
  admin.onError(answerAdminError);
  // Public: the OpenAPI document (so tools can discover the API) and the session calls (how a browser logs in).
  const PUBLIC = new Set(['/admin/api/openapi.json', '/admin/api/session']);
  admin.use('*', async (c, next) => (PUBLIC.has(c.req.path) ? next() : guard(c, next)));
  // After the guard, so an anonymous client never gets a body read at all; the login's own body is tiny.
  admin.use('*', async (c, next) => (c.req.path === '/admin/api/session' ? sessionLimit : adminLimit)(c, next));
  admin.route('/', sessionApi(credentials, options.publicUrl.startsWith('https://'), guardOptions));
  admin.route('/', connectionsApi(services.connections, services.routes));
  admin.route('/', eventsApi(services.events));
  admin.route('/', workflowsApi(services.workflows, services.executions));
  admin.route('/', deploymentsApi(services.deployments));
  admin.route('/', executionsApi(services.executions));
  admin.route('/', tablesApi(services.tables, services.secrets));
  admin.route('/', stripeAccountApi(services.stripeAccount));
  admin.route('/', secretsApi(services.secrets));
  admin.route('/', varsApi(services.secrets));
  admin.route('/', smtpApi(services.smtp, { smtpUrl: options.smtpUrl, from: options.smtpFrom }));
  admin.route('/', rejectionsApi(services.refusalStore));
  admin.route(
    '/',
    alertsApi(services.alertSettings, services.alerts, { allowHttpWebhooks: options.allowPrivateNetwork ?? false }),
  );
  declareAdminSecurity(admin.openAPIRegistry);
  admin.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Switchyard admin API', version: '1' },
    servers: [{ url: `${options.publicUrl}/admin/api` }],
    security: SECURITY,
  });
  // Last admin route: an unknown API path is a JSON 404, never the editor page the catch-all GET below serves.
  admin.all('*', (c) => c.json(failure('not_found', `no admin route ${c.req.method} ${c.req.path}`), 404));
  app.route('/admin/api', admin);

  mountEditor(app, options.editorDir ?? fileURLToPath(new URL('../../editor/dist', import.meta.url)));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    log.error({ err: { message: error.message, name: error.name }, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  return app;
}

/** The editor is a single-page app: assets by path, every other GET gets index.html. */
function mountEditor(app: OpenAPIHono, dir: string): void {
  const index = `${dir}/index.html`;
  if (!existsSync(index)) {
    app.get('/', (c) => c.text('The editor is not built: run `npm run build`.', 503));
    return;
  }
  const html = readFileSync(index, 'utf8');
  app.use('/assets/*', serveStatic({ root: dir }));
  app.get('/favicon.svg', serveStatic({ root: dir }));
  app.get('*', (c) => c.html(html));
}
