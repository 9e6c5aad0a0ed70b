import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { openDatabase } from './db/client.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  const app = createApp({ database, masterKey: config.masterKey, adminToken: config.adminToken, publicUrl: config.publicUrl, log });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
    log.info({ port: info.port, database: database.driver }, 'switchyard listening');
    const lines = [
      '',
      `  Switchyard is running at ${config.publicUrl}`,
      `  Storage: ${database.driver === 'pglite' ? `embedded PGlite in ${config.database.driver === 'pglite' ? config.database.dataDir : ''}` : 'PostgreSQL (DATABASE_URL)'}`,
      config.adminTokenSource === 'env'
        ? '  Log in with the admin token from SWITCHYARD_ADMIN_TOKEN'
        : `  Log in with the admin token${config.adminTokenSource === 'generated' ? ' (generated now' : ' (from'} ${config.dataDir}/admin-token): ${config.adminToken}`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close(() => void database.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
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
