import { and, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { connections, type Environment } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { DEFAULT_RECONCILE_SECONDS, MAX_RECONCILE_SECONDS, type StripeAccountService } from './service.js';

export { DEFAULT_RECONCILE_EVERY_MS, parseDuration } from './duration.js';

/** A scheduled pass re-reads this much before the previous one, so events created during it are not missed. */
const OVERLAP_SECONDS = 10 * 60;
/** How long a process holds an environment's reconcile lease; a crashed holder frees it when this passes. */
const LEASE_MS = 15 * 60 * 1000;

export interface ScheduleOptions {
  everyMs: number;
  /** First pass after this delay (catches up after downtime); default 30 s. */
  firstDelayMs?: number;
}

/**
 * Scheduled reconcile for every environment with a secret key. Every process runs the timer; a lease on the
 * connection row (claimed with one conditional UPDATE) lets one process per interval do the work. A pass
 * covers the time since the previous successful pass (minus an overlap), else the default 3 days, and also
 * re-syncs the endpoint's enabled events.
 */
export class ReconcileScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly account: StripeAccountService,
    private readonly log: Logger,
    private readonly options: ScheduleOptions,
  ) {}

  start(): void {
    if (this.options.everyMs <= 0 || this.#timer) return;
    const tickMs = Math.min(this.options.everyMs, 5 * 60 * 1000);
    const schedule = (delay: number) => {
      this.#timer = setTimeout(() => {
        this.#running = this.tick().finally(() => {
          this.#running = undefined;
          if (this.#timer) schedule(tickMs);
        });
      }, delay);
      this.#timer.unref();
    };
    schedule(this.options.firstDelayMs ?? 30_000);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass over the environments; each is skipped unless this process wins its lease. */
  async tick(): Promise<{ environment: Environment; scanned: number; ingested: number; alreadyHad: number }[]> {
    const done = [];
    for (const environment of await this.account.environmentsWithKey().catch(() => [] as Environment[])) {
      const lease = await this.#claim(environment).catch((error: unknown) => {
        this.log.warn(
          { environment, err: { message: String((error as Error)?.message ?? error) } },
          'reconcile lease claim failed',
        );
        return undefined;
      });
      if (!lease) continue;
      const startedAt = new Date();
      try {
        await this.account.syncEnabledEvents(environment);
        const nowS = Math.floor(startedAt.getTime() / 1000);
        const previous = lease.lastReconciledAt
          ? Math.floor(lease.lastReconciledAt.getTime() / 1000) - OVERLAP_SECONDS
          : nowS - DEFAULT_RECONCILE_SECONDS;
        const since = Math.max(previous, nowS - MAX_RECONCILE_SECONDS);
        const result = await this.account.reconcile(environment, { since });
        await this.#release(environment, startedAt);
        done.push({ environment, ...result });
      } catch (error) {
        this.log.warn(
          { environment, err: { message: error instanceof Error ? error.message : String(error) } },
          'scheduled reconcile failed; it is tried again later',
        );
        // Back off instead of retrying at every tick: keep the lease for a while, leave last_reconciled_at as it was.
        await this.#release(environment, undefined, Math.min(this.options.everyMs, LEASE_MS)).catch(() => {});
      }
    }
    return done;
  }

  async #claim(environment: Environment): Promise<{ lastReconciledAt: Date | null } | undefined> {
    const [row] = await this.db
      .update(connections)
      .set({ reconcileLeaseUntil: sql`now() + ${LEASE_MS} * interval '1 millisecond'` })
      .where(
        and(
          eq(connections.environment, environment),
          isNotNull(connections.secretKeyCipher),
          or(isNull(connections.reconcileLeaseUntil), lt(connections.reconcileLeaseUntil, sql`now()`)),
          or(
            isNull(connections.lastReconciledAt),
            lte(connections.lastReconciledAt, sql`now() - ${this.options.everyMs} * interval '1 millisecond'`),
          ),
        ),
      )
      .returning({ lastReconciledAt: connections.lastReconciledAt });
    return row;
  }

  async #release(environment: Environment, reconciledAt: Date | undefined, holdMs = 0): Promise<void> {
    await this.db
      .update(connections)
      .set({
        reconcileLeaseUntil: holdMs > 0 ? sql`now() + ${holdMs} * interval '1 millisecond'` : null,
        ...(reconciledAt ? { lastReconciledAt: reconciledAt } : {}),
      })
      .where(eq(connections.environment, environment));
  }
}
