import { api } from '../api/client.js';
import type { Environment } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { useAsync } from '../components/useAsync.js';
import { usePaged } from '../components/usePaged.js';
import { href } from '../router.js';

/** User data tables written by table.* nodes. */
export function TablesPage({ env, table }: { env: Environment; table: string | null }) {
  const tables = useAsync(() => api.tables(), []);
  return (
    <div className="page split">
      <section className="split-nav">
        <header className="page-head">
          <h1>Tables</h1>
        </header>
        {tables.error && (
          <p className="error" role="alert">
            {tables.error}
          </p>
        )}
        {tables.data?.length === 0 && (
          <p className="muted">No tables yet. A table appears when a workflow first writes to it.</p>
        )}
        <ul className="list" aria-label="Tables">
          {tables.data?.map((t) => (
            <li key={t.name}>
              <Link href={href(env, 'tables', t.name)} aria-current={t.name === table ? 'page' : undefined}>
                <span>{t.name}</span> <span className="muted">{t.rowCount} rows</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section className="split-main">
        {table ? <TableRows key={table} table={table} /> : <p className="muted">Choose a table.</p>}
      </section>
    </div>
  );
}

function TableRows({ table }: { table: string }) {
  const rows = usePaged((cursor) => api.tableRows(table, { cursor }), [table]);
  const columns = [...new Set(rows.items.flatMap((r) => Object.keys(r.values)))].slice(0, 12);
  return (
    <>
      <header className="row spread">
        <h2>{table}</h2>
        <button type="button" className="btn ghost" onClick={rows.reload}>
          Refresh
        </button>
      </header>
      {rows.error && (
        <p className="error" role="alert">
          {rows.error}
        </p>
      )}
      {rows.items.length === 0 && !rows.loading && !rows.error && <p className="muted">This table is empty.</p>}
      {rows.items.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-label={`Rows of ${table}`}>
            <thead>
              <tr>
                <th>Key</th>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.items.map((r) => (
                <tr key={r.key}>
                  <td>
                    <code>{r.key}</code>
                  </td>
                  {columns.map((c) => (
                    <td key={c}>{cell(r.values[c])}</td>
                  ))}
                  <td>{formatTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.nextCursor && (
        <button type="button" className="btn" onClick={rows.more}>
          Load more
        </button>
      )}
    </>
  );
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
