import { serve } from '@hono/node-server';
import { appOptionsFromConfig, createApp, createServices } from './app.js';
import { startupBanner } from './banner.js';
import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { openDatabase } from './db/client.js';
import { createLogger } from './logger.js';
import { scheduleRetention } from './operations/retention.js';
import { ReconcileScheduler } from './stripe-account/schedule.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  const options = appOptionsFromConfig(config, database, log);
  const services = createServices(options);
  const app = createApp(options, services);
  await services.runtime.start();
  services.alerts.start();
  scheduleRetention(database, log, { days: config.retentionDays });
  new ReconcileScheduler(database.db, services.stripeAccount, log, { everyMs: config.reconcileEveryMs }).start();

  const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
    log.info({ port: info.port, database: database.driver }, 'switchyard listening');
    process.stdout.write(startupBanner(config, database.driver));
  });

  // Longer than the usual load balancer idle timeout (60 s), so the server never closes a connection the
  // balancer is about to reuse.
  (server as import('node:http').Server).keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    // Stop accepting deliveries, let runs in hand finish, then close the store.
    server.close(
      () =>
        void services.runtime
          .stop()
          .then(() => services.refusals.flush())
          .then(() => services.alerts.stop())
          .then(() => database.close())
          .finally(() => process.exit(0)),
    );
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`switchyard: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`switchyard: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
