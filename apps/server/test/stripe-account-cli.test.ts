import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { events } from '../src/db/schema.js';
import { allTriggerEventTypes } from '../src/stripe-account/event-types.js';
import { PUBLIC_URL, testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';
import { type FakeStripe, startFakeStripe } from './support/fake-stripe.js';
import { freshCopy, stripeEvent } from './support/stripe-events.js';

const KEY = 'sk_live_51CliKeyabcdefghij4242';
const SECRET = 'whsec_cli_secret';

describeEachDriver('stripe account: CLI', (ctx) => {
  const masterKey = randomBytes(32);
  let stripe: FakeStripe;
  let dataDir: string;
  let env: Record<string, string>;
  /** PGlite is one process's store: the CLI gets a data directory of its own, the app closes it first. */
  const withDatabase = async <T>(fn: (database: Database) => Promise<T>): Promise<T> => {
    if (ctx.driver === 'postgres') return fn(ctx.database);
    const database = await openDatabase({ driver: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
    env = {
      SWITCHYARD_MASTER_KEY: masterKey.toString('hex'),
      STRIPE_API_BASE: stripe.url,
      PUBLIC_URL,
      SWITCHYARD_DATA_DIR: dataDir,
      ...(ctx.driver === 'postgres' ? { DATABASE_URL: ctx.url! } : {}),
    };
    await withDatabase(async (database) => {
      const t = testApp(database, { masterKey, stripeApiBase: stripe.url });
      expect(
        (
          await t.admin('PUT', '/environments/production/stripe', {
            secretKey: KEY,
            webhookEnabled: true,
            webhookPath: '/cli/production',
            webhookSecret: SECRET,
          })
        ).status,
      ).toBe(200);
      const delivered = freshCopy(stripeEvent('customer.created'));
      stripe.seedEvent({ ...delivered, created: Math.floor(Date.now() / 1000) - 60 });
      expect((await t.deliver('/cli/production', JSON.stringify(delivered), SECRET)).status).toBe(200);
    });
    for (let i = 0; i < 3; i++)
      stripe.seedEvent({
        type: 'customer.created',
        created: Math.floor(Date.now() / 1000) - 120,
        data: { object: { id: `cus_cli_${i}`, object: 'customer' } },
      });
    stripe.seedEvent({
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000) - 3 * 86400,
      data: { object: { id: 'cus_old', object: 'customer' } },
    });
  });
  afterAll(async () => {
    await stripe?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reconcile --env production --hours 48 prints progress and the counts and exits 0', async () => {
    const first = await cli('reconcile', '--env', 'production', '--hours', '48');
    expect(first.stderr).toMatch(/reconciling production since/);
    expect(first.stderr).toMatch(/page 1: scanned/);
    expect({ code: first.code, stdout: first.stdout }).toEqual({
      code: 0,
      stdout: 'scanned 4, ingested 3, already had 1\n',
    });
    const again = await cli('reconcile', '--env', 'production', '--hours', '48', '--json');
    expect({ code: again.code, stdout: again.stdout }).toEqual({
      code: 0,
      stdout: '{"scanned":4,"ingested":0,"alreadyHad":4}\n',
    });
    const stored = await withDatabase(
      async (database) =>
        (await database.db.select({ n: count() }).from(events).where(eq(events.environment, 'production')))[0]!.n,
    );
    expect(stored).toBe(4);
  });

  it('exits non-zero on failure and on bad usage', async () => {
    stripe.failNext({ status: 500, match: (r) => r.path === '/v1/events' });
    const failed = await cli('reconcile', '--env', 'production');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/reconcile failed: Stripe answered 500/);
    expect(failed.stdout).toBe('');
    expect((await cli('reconcile', '--env', 'nowhere')).code).toBe(2);
    expect((await cli('reconcile', '--env', 'production', '--hours', '1000')).code).toBe(1); // more than 30 days
    expect((await cli('frobnicate', '--env', 'production')).code).toBe(2);
    const noKey = await cli('reconcile', '--env', 'staging');
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/staging has no Stripe secret key/);
  });

  it('registers and shows status from the command line', async () => {
    const registered = await cli('register', '--env', 'production');
    expect(registered.code).toBe(0);
    // Nothing deployed there: every catalogue type of the trigger families.
    expect(registered.stdout).toMatch(
      new RegExp(
        `^created we_\\w+ \\(enabled\\) for https://hooks\\.example\\.test/api/cli/production: ${allTriggerEventTypes().length} event types\n$`,
      ),
    );
    const status = await cli('status', '--env', 'production');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ registered: true, status: 'enabled' });
  });
});
