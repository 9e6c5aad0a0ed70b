import { useState } from 'react';
import { api } from '../api/client.js';
import type { Environment, TableRow } from '../api/types.js';
import { formatTime } from '../components/format.js';
import { Link } from '../components/Link.js';
import { useAsync } from '../components/useAsync.js';
import { usePaged } from '../components/usePaged.js';
import { href, navigate } from '../router.js';
import { DeleteRowDialog, RowDialog, type RowTarget } from './RowDialog.js';

/** The data tables of one environment, written by table.* nodes and editable by hand. */
export function TablesPage({ env, table }: { env: Environment; table: string | null }) {
  // Tagged with its environment: right after a switch the previous environment's list is still shown.
  const tables = useAsync(async () => ({ env, list: await api.tables(env) }), [env]);
  const list = tables.data?.env === env ? tables.data.list : undefined;
  // Bumped after a hand edit, so the open table reloads its rows as well as the list its counts.
  const [edits, setEdits] = useState(0);
  const [creating, setCreating] = useState(false);
  const known = list?.some((t) => t.name === table);
  const names = list?.map((t) => t.name) ?? [];
  const saved = (name: string) => {
    setCreating(false);
    setEdits((n) => n + 1);
    tables.reload();
    if (name !== table) navigate(href(env, 'tables', name));
  };
  return (
    <div className="page split">
      <section className="split-nav">
        <header className="page-head">
          <div className="row spread">
            <h1>Tables</h1>
            <button type="button" className="btn primary" onClick={() => setCreating(true)}>
              New row
            </button>
          </div>
          <p className="muted">
            Data of the <strong>{env}</strong> environment. Each environment keeps its own rows.
          </p>
        </header>
        {tables.error && (
          <p className="error" role="alert">
            Could not load the tables: {tables.error}
          </p>
        )}
        {list?.length === 0 && (
          <p className="muted card empty">
            No tables in {env} yet. A table appears when a workflow running in {env} first writes to it, or when you add
            a row with “New row”.
          </p>
        )}
        {list && list.length > 0 && (
          <ul className="list" aria-label="Tables">
            {list.map((t) => (
              <li key={t.name}>
                <Link href={href(env, 'tables', t.name)} aria-current={t.name === table ? 'page' : undefined}>
                  <span>{t.name}</span>{' '}
                  <span className="muted">
                    {t.rows} {t.rows === 1 ? 'row' : 'rows'}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="split-main">
        {!table && <p className="muted">Choose a table.</p>}
        {table && list && !known && (
          <p className="muted card empty" role="status">
            The {env} environment has no table named <strong>{table}</strong>. Tables are kept per environment: rows
            written elsewhere are not here.
          </p>
        )}
        {table && known && (
          <TableRows
            key={`${env}/${table}`}
            env={env}
            table={table}
            tables={names}
            edits={edits}
            onChanged={() => {
              setEdits((n) => n + 1);
              tables.reload();
            }}
          />
        )}
      </section>
      {creating && (
        <RowDialog
          env={env}
          target={{ mode: 'create', table: table ?? '' }}
          tables={names}
          onClose={() => setCreating(false)}
          onSaved={saved}
        />
      )}
    </div>
  );
}

function TableRows({
  env,
  table,
  tables,
  edits,
  onChanged,
}: {
  env: Environment;
  table: string;
  tables: readonly string[];
  edits: number;
  onChanged: () => void;
}) {
  const [search, setSearch] = useState('');
  const [prefix, setPrefix] = useState('');
  const [containsInput, setContainsInput] = useState('');
  const [contains, setContains] = useState('');
  const [editing, setEditing] = useState<RowTarget | null>(null);
  const [deleting, setDeleting] = useState<TableRow | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `edits` is the reload signal of a hand edit made in a dialog
  const rows = usePaged(
    (cursor) => api.tableRows(env, table, { cursor, key: prefix, q: contains }),
    [env, table, prefix, contains, edits],
  );
  const columns = [...new Set(rows.items.flatMap((r) => Object.keys(r.values)))].slice(0, 12);
  return (
    <>
      <header className="row spread">
        <h2>{table}</h2>
        <div className="row">
          <button type="button" className="btn" onClick={() => setEditing({ mode: 'create', table })}>
            Add row
          </button>
          <a
            className="btn"
            href={api.tableExportUrl(env, table)}
            download={`${env}-${table}.csv`}
            title="Every row as CSV: a column per value field; secrets masked"
          >
            Export CSV
          </a>
          <button type="button" className="btn ghost" onClick={rows.reload}>
            Refresh
          </button>
        </div>
      </header>
      <form
        className="row filters"
        aria-label="Search rows"
        onSubmit={(e) => {
          e.preventDefault();
          setPrefix(search.trim());
          setContains(containsInput.trim());
        }}
      >
        <input
          aria-label="Search by key"
          placeholder="Key starts with…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <input
          type="search"
          aria-label="Search keys and values"
          placeholder="Key or any value contains…"
          value={containsInput}
          onChange={(e) => setContainsInput(e.target.value)}
        />
        <button type="submit" className="btn">
          Search
        </button>
        {(prefix || contains) && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setSearch('');
              setPrefix('');
              setContainsInput('');
              setContains('');
            }}
          >
            Clear
          </button>
        )}
      </form>
      {rows.error && (
        <p className="error" role="alert">
          Could not load the rows: {rows.error}
        </p>
      )}
      {rows.items.length === 0 && !rows.loading && !rows.error && (
        <p className="muted card empty">
          {prefix || contains ? noMatch(table, prefix, contains) : `${table} has no rows in ${env}.`}
        </p>
      )}
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
                <th>
                  <span className="sr-only">Actions</span>
                </th>
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
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn ghost"
                      aria-label={`Edit ${r.key}`}
                      onClick={() => setEditing({ mode: 'edit', table, row: r })}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn ghost"
                      aria-label={`Delete ${r.key}`}
                      onClick={() => setDeleting(r)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.nextCursor && (
        <button type="button" className="btn" onClick={rows.more} disabled={rows.loading}>
          Load more
        </button>
      )}
      {editing && (
        <RowDialog
          env={env}
          target={editing}
          tables={tables}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
      {deleting && (
        <DeleteRowDialog
          env={env}
          table={table}
          row={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function noMatch(table: string, prefix: string, contains: string): string {
  const parts = [prefix && `a key starting with “${prefix}”`, contains && `a key or value containing “${contains}”`];
  return `No row of ${table} has ${parts.filter(Boolean).join(' and ')}.`;
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
