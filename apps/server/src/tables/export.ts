import type { Redactor } from '@switchyard/engine';
import type { Environment } from '../db/schema.js';
import { cellText, csvLine } from './csv.js';
import type { TableService } from './service.js';

/** Rows read per query while streaming: memory stays flat whatever the table's size. */
const EXPORT_PAGE = 500;

/**
 * A table as CSV, streamed: a header of `key` and every value column (the union over its rows, read first),
 * then one record per row in key order, read a page at a time as the client takes them. A value column that
 * first appears while the export runs is not in the header, so it is left out. Every cell goes through the
 * environment's secret redactor: a workflow may have written a secret's value into a row.
 */
export function tableCsv(
  tables: TableService,
  env: Environment,
  table: string,
  redact: Redactor,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let columns: string[] | undefined;
  let cursor: string | undefined;
  let done = false;
  // Masked before and after the cell's JSON: a secret inside a nested value is matched as written, not as escaped.
  const line = (values: unknown[]) => encoder.encode(csvLine(values.map((v) => redact(cellText(redact(v))))));
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!columns) {
          columns = await tables.columns(env, table);
          // A value column named like the key column is told apart, so the header names each column once.
          controller.enqueue(line(['key', ...columns.map((c) => (c === 'key' ? 'values.key' : c))]));
          return;
        }
        if (done) return controller.close();
        const page = await tables.rows(env, table, { limit: EXPORT_PAGE, cursor });
        for (const row of page.items) controller.enqueue(line([row.key, ...columns.map((c) => row.values[c])]));
        cursor = page.nextCursor ?? undefined;
        if (!page.nextCursor) done = true;
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
