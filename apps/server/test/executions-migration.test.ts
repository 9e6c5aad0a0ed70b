import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from './support/databases.js';
import { type Exec, migrationsAround, rawDatabase } from './support/migrations.js';

const { splitAt, before, fromIt } = migrationsAround('_executions_search');

const epoch = (iso: string) => String(Date.parse(iso) / 1000);

/** Applies the real migration files in order, as drizzle's migrator does, over runs stored before the search columns. */
for (const driver of DRIVERS) {
  describe(`migrating executions to the search columns [${driver}]`, () => {
    let exec: Exec;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ exec, close } = await rawDatabase(driver));
    });
    afterAll(() => close?.());

    it("copies each run's event type and marks the failed runs already retried, by their first retry", async () => {
      expect(splitAt).toBeGreaterThan(0);
      await before(exec);
      await exec(`INSERT INTO events (id, environment, stripe_id, type, action, created, livemode, payload) VALUES
        (1, 'production', 'evt_paid', 'invoice.paid', 'paid', 100, true, '{}'),
        (2, 'production', 'evt_cus', 'customer.created', 'created', 200, true, '{}')`);
      await exec(`INSERT INTO executions
        (id, environment, workflow_id, workflow_version, event_id, event_created, origin, parent_id, status, dead_lettered_at, created_at) VALUES
        (10, 'production', 'wf_inv', 1, 1, 100, 'event', NULL, 'failed', '2026-11-01T10:00:01Z', '2026-11-01T10:00:00Z'),
        (11, 'production', 'wf_inv', 1, 1, 100, 'retry', 10, 'failed', '2026-11-01T11:00:01Z', '2026-11-01T11:00:00Z'),
        (12, 'production', 'wf_inv', 2, 1, 100, 'retry', 10, 'succeeded', NULL, '2026-11-01T12:00:00Z'),
        (13, 'production', 'wf_cus', 1, 2, 200, 'event', NULL, 'failed', '2026-11-01T13:00:01Z', '2026-11-01T13:00:00Z'),
        (14, 'production', 'wf_cus', 1, 2, 200, 'replay', 13, 'succeeded', NULL, '2026-11-01T14:00:00Z'),
        (15, 'production', 'wf_other', 1, 2, 200, 'event', NULL, 'succeeded', NULL, '2026-11-01T15:00:00Z')`);

      await fromIt(exec);

      const rows = await exec(
        `SELECT id::int AS id, event_type, extract(epoch FROM retried_at)::bigint::text AS retried FROM executions ORDER BY id`,
      );
      expect(rows).toEqual([
        // Retried twice: retried when the first retry was created.
        { id: 10, event_type: 'invoice.paid', retried: epoch('2026-11-01T11:00:00Z') },
        // A retry that failed again waits in the dead-letter view.
        { id: 11, event_type: 'invoice.paid', retried: null },
        { id: 12, event_type: 'invoice.paid', retried: null },
        // Replayed, not retried: still a dead letter.
        { id: 13, event_type: 'customer.created', retried: null },
        { id: 14, event_type: 'customer.created', retried: null },
        { id: 15, event_type: 'customer.created', retried: null },
      ]);
      const dead = await exec(
        `SELECT id::int AS id FROM executions WHERE status = 'failed' AND dead_lettered_at IS NOT NULL AND retried_at IS NULL ORDER BY id`,
      );
      expect(dead).toEqual([{ id: 11 }, { id: 13 }]);
    });
  });
}
