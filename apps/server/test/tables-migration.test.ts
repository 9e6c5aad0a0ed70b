import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from './support/databases.js';
import { type Exec, migrationsAround, rawDatabase } from './support/migrations.js';

const { splitAt, before, fromIt } = migrationsAround('_tables_per_environment');

/** Applies the real migration files in order, as drizzle's migrator does, over a database before data tables had environments. */
for (const driver of DRIVERS) {
  describe(`migrating data tables to environments [${driver}]`, () => {
    let exec: Exec;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ exec, close } = await rawDatabase(driver));
    });
    afterAll(() => close?.());

    it('moves each row to the environment that wrote it, copies one written by two, and the rest to editor', async () => {
      expect(splitAt).toBeGreaterThan(0);
      await before(exec);
      await exec(`INSERT INTO events (id, environment, stripe_id, type, action, created, livemode, payload) VALUES
        (1, 'production', 'evt_live', 'checkout.session.completed', 'completed', 100, true, '{}'),
        (2, 'editor', 'evt_sample', 'checkout.session.completed', 'completed', 100, false, '{}'),
        (3, 'staging', 'evt_shared', 'invoice.paid', 'paid', 100, false, '{}'),
        (4, 'production', 'evt_shared', 'invoice.paid', 'paid', 100, false, '{}'),
        (5, 'staging', 'evt_other', 'invoice.paid', 'paid', 100, false, '{}')`);
      await exec(`INSERT INTO executions (environment, workflow_id, workflow_version, event_id, event_created, origin, status) VALUES
        ('production', 'wf_grant', 1, 1, 100, 'event', 'succeeded'),
        ('editor', 'wf_grant', 1, 2, 100, 'test', 'succeeded'),
        ('staging', 'wf_inv', 1, 3, 100, 'event', 'succeeded'),
        ('production', 'wf_inv', 1, 4, 100, 'event', 'succeeded'),
        ('staging', 'wf_unrelated', 1, 5, 100, 'event', 'succeeded')`);
      await exec(`INSERT INTO data_tables (name) VALUES ('grants'), ('invoices'), ('never_written')`);
      await exec(`INSERT INTO data_rows (table_name, key, values, event_created, event_id, write_key) VALUES
        ('grants', 'cs_live', '{"granted":true}', 100, 'evt_live', 'wf_grant:evt_live:grant'),
        ('grants', 'cs_sample', '{"granted":true}', 100, 'evt_sample', 'wf_grant:evt_sample:grant'),
        ('invoices', 'in_shared', '{"status":"paid"}', 100, 'evt_shared', 'wf_inv:evt_shared:save:0'),
        ('invoices', 'in_other', '{"status":"paid"}', 100, 'evt_other', 'wf_inv:evt_other:save'),
        ('invoices', 'by_hand', '{"note":"x"}', NULL, NULL, NULL)`);

      await fromIt(exec);

      const rows = await exec(
        `SELECT environment, table_name, key, write_key FROM data_rows ORDER BY table_name, key, environment`,
      );
      expect(rows).toEqual([
        {
          environment: 'production',
          table_name: 'grants',
          key: 'cs_live',
          write_key: 'production:wf_grant:evt_live:grant',
        },
        {
          environment: 'editor',
          table_name: 'grants',
          key: 'cs_sample',
          write_key: 'editor:wf_grant:evt_sample:grant',
        },
        { environment: 'editor', table_name: 'invoices', key: 'by_hand', write_key: null },
        // Its write key names a workflow that never ran on that event: unknown, so editor.
        { environment: 'editor', table_name: 'invoices', key: 'in_other', write_key: 'editor:wf_inv:evt_other:save' },
        {
          environment: 'production',
          table_name: 'invoices',
          key: 'in_shared',
          write_key: 'production:wf_inv:evt_shared:save:0',
        },
        {
          environment: 'staging',
          table_name: 'invoices',
          key: 'in_shared',
          write_key: 'staging:wf_inv:evt_shared:save:0',
        },
      ]);
      expect(await exec(`SELECT environment, name FROM data_tables ORDER BY name, environment`)).toEqual([
        { environment: 'editor', name: 'grants' },
        { environment: 'production', name: 'grants' },
        { environment: 'editor', name: 'invoices' },
        { environment: 'production', name: 'invoices' },
        { environment: 'staging', name: 'invoices' },
        { environment: 'editor', name: 'never_written' },
      ]);
      // The new keys hold: one row per environment, table and key, and a row needs its environment's table.
      await expect(
        exec(
          `INSERT INTO data_rows (environment, table_name, key, values) VALUES ('editor', 'grants', 'cs_sample', '{}')`,
        ),
      ).rejects.toThrow();
      await expect(
        exec(`INSERT INTO data_rows (environment, table_name, key, values) VALUES ('staging', 'grants', 'x', '{}')`),
      ).rejects.toThrow();
      await exec(`DELETE FROM data_tables WHERE environment = 'production' AND name = 'invoices'`);
      expect(await exec(`SELECT environment FROM data_rows WHERE key = 'in_shared'`)).toEqual([
        { environment: 'staging' },
      ]);
    });
  });
}
