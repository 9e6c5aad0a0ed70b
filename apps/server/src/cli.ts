/**
 * `switchyard <command>`: the Stripe account calls for cron jobs and scripts, with the server's own config
 * (DATABASE_URL, SWITCHYARD_MASTER_KEY, PUBLIC_URL, STRIPE_API_BASE, `.env`).
 *
 *   switchyard reconcile --env production --hours 48
 *   switchyard register --env staging [--confirm]
 *   switchyard status --env production
 *   switchyard deregister --env staging
 *
 * Progress goes to stderr, results to stdout; exit 0 on success, 1 on failure, 2 on bad usage or config.
 */
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { appOptionsFromConfig, createServices } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { ENVIRONMENTS, type Environment } from './db/schema.js';
import { createLogger } from './logger.js';
import { StripeAccountError } from './stripe-account/errors.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** unix seconds; tests pin it. */
  now?: () => number;
}

const USAGE = `usage: switchyard <command> --env <editor|staging|production> [options]

commands:
  reconcile   ingest the Stripe events the webhook missed (through the same inbox: each runs once)
                --hours <n>     look back n hours (default 72, at most 720)
                --since <unix>  or from this unix time
                --json          print the counts as JSON
  register    find or create the Stripe webhook endpoint and update it in place
                --confirm       accept a key mode that does not fit the environment
  status      show the registered endpoint
  deregister  delete the registered endpoint at Stripe

Reads the server's configuration: DATABASE_URL, SWITCHYARD_MASTER_KEY, PUBLIC_URL, STRIPE_API_BASE (and .env).
`;

class UsageError extends Error {}

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    io.stderr(`switchyard: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    (command || values.help ? io.stdout : io.stderr)(USAGE);
    return command || values.help ? 0 : 2;
  }

  let environment: Environment;
  let since: number | undefined;
  try {
    if (!['reconcile', 'register', 'status', 'deregister'].includes(command))
      throw new UsageError(`unknown command "${command}"`);
    if (!values.env || !(ENVIRONMENTS as readonly string[]).includes(values.env))
      throw new UsageError('--env must be editor, staging or production');
    environment = values.env as Environment;
    const nowS = Math.floor(io.now?.() ?? Date.now() / 1000);
    if (values.hours !== undefined && values.since !== undefined)
      throw new UsageError('give --hours or --since, not both');
    if (values.hours !== undefined) {
      const hours = Number(values.hours);
      if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--hours must be a positive number');
      since = nowS - Math.round(hours * 3600);
    }
    if (values.since !== undefined) {
      if (!/^\d+$/.test(values.since)) throw new UsageError('--since must be unix seconds');
      since = Number(values.since);
    }
  } catch (error) {
    io.stderr(`switchyard: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  let config: Config;
  try {
    // The admin token is not needed here; neither demand one nor generate one as a side effect of a cron job.
    config = loadConfig(io.env, { adminToken: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`switchyard: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // Log lines (JSON) go to stderr at warn and above, so stdout stays the result.
  const log = createLogger(
    config.logLevel === 'debug' ? 'debug' : 'warn',
    new Writable({
      write: (chunk: Buffer, _e, done) => {
        io.stderr(chunk.toString());
        done();
      },
    }),
  );
  const database = await openDatabase(config.database);
  try {
    const services = createServices({
      ...appOptionsFromConfig(config, database, log),
      ...(io.now ? { now: io.now } : {}),
    });
    const account = services.stripeAccount;
    switch (command) {
      case 'reconcile': {
        io.stderr(
          `reconciling ${environment}${since === undefined ? ' (last 72 hours)' : ` since ${new Date(since * 1000).toISOString()}`}\n`,
        );
        const result = await account.reconcile(environment, {
          ...(since === undefined ? {} : { since }),
          onProgress: (p) => {
            if (p.phase === 'listing')
              io.stderr(`  page ${p.pages}: scanned ${p.scanned}, missing ${p.missing}, already had ${p.alreadyHad}\n`);
            else if (p.phase === 'ingesting') io.stderr(`  ingesting: ${p.ingested} stored, ${p.missing} to go\n`);
          },
        });
        io.stdout(
          values.json
            ? `${JSON.stringify(result)}\n`
            : `scanned ${result.scanned}, ingested ${result.ingested}, already had ${result.alreadyHad}\n`,
        );
        return 0;
      }
      case 'register': {
        const result = await account.register(environment, { confirm: values.confirm });
        for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
        io.stdout(
          `${result.created ? 'created' : 'updated'} ${result.endpointId} (${result.status}) for ${result.url}: ${result.enabledEvents.length} event types\n`,
        );
        return 0;
      }
      case 'status': {
        io.stdout(`${JSON.stringify(await account.status(environment), null, 2)}\n`);
        return 0;
      }
      case 'deregister': {
        const result = await account.deregister(environment);
        io.stdout(`${result.deleted ? 'deleted' : 'forgot (already gone at Stripe)'} ${result.endpointId}\n`);
        return 0;
      }
    }
    return 2;
  } catch (error) {
    io.stderr(
      `switchyard: ${command} failed: ${error instanceof StripeAccountError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    await database.close().catch(() => {});
  }
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      hours: { type: 'string' },
      since: { type: 'string' },
      confirm: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function processIo(): CliIo {
  return { env: process.env, stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };
}
