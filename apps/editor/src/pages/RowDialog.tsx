import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { Environment, TableRow } from '../api/types.js';
import { Dialog } from '../components/Dialog.js';
import { parseRowValues } from './rowValues.js';

/** What the dialog edits: a new row (in a chosen table) or an existing one. */
export type RowTarget = { mode: 'create'; table: string } | { mode: 'edit'; table: string; row: TableRow };

/** Create or edit one row by hand; its values are typed as JSON and checked before saving. */
export function RowDialog({
  env,
  target,
  tables,
  onClose,
  onSaved,
}: {
  env: Environment;
  target: RowTarget;
  /** The environment's tables: only those can already hold a row with the key. */
  tables: readonly string[];
  onClose: () => void;
  onSaved: (table: string, row: TableRow) => void;
}) {
  const editing = target.mode === 'edit';
  const [table, setTable] = useState(target.table);
  const [key, setKey] = useState(editing ? target.row.key : '');
  const [text, setText] = useState(editing ? JSON.stringify(target.row.values, null, 2) : '{\n  \n}');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseRowValues(text);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ('error' in parsed) return setError(parsed.error);
    setBusy(true);
    setError(null);
    try {
      if (!editing && tables.includes(table)) {
        // Saving replaces a row with the same key: a new row must not overwrite one silently.
        const same = await api.tableRows(env, table, { key, limit: 1 });
        if (same?.items[0]?.key === key) {
          setError(`Table ${table} already has a row with the key ${key}. Edit that row instead.`);
          return;
        }
      }
      onSaved(table, await api.putRow(env, table, key, parsed.values));
    } catch (err) {
      setError(
        err instanceof ApiError && err.issues.length ? err.issues.map((i) => i.message).join('; ') : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={editing ? `Edit row ${key}` : 'New row'} open onClose={onClose} wide>
      <form className="form" onSubmit={submit}>
        <p className="muted">
          In the <strong>{env}</strong> environment only: workflows running elsewhere never see this row.
        </p>
        <label className="field">
          <span>Table</span>
          <input
            value={table}
            onChange={(e) => setTable(e.target.value)}
            required
            readOnly={editing}
            placeholder="customers"
            aria-describedby="row-table-hint"
          />
        </label>
        <small id="row-table-hint" className="muted">
          Lowercase letters, digits and _, starting with a letter. A new name creates the table.
        </small>
        <label className="field">
          <span>Key</span>
          <input
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            readOnly={editing}
            maxLength={500}
            placeholder="cus_123"
          />
        </label>
        <label className="field">
          <span>Values (JSON)</span>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            spellCheck={false}
            className="mono"
            aria-invalid={'error' in parsed}
          />
        </label>
        {'error' in parsed && text.trim() !== '' && !error && <p className="field-error">{parsed.error}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy || !table || !key || 'error' in parsed}>
            {busy ? 'Saving…' : editing ? 'Save' : 'Create row'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Asks before a row is deleted; the safe answer has the focus. */
export function DeleteRowDialog({
  env,
  table,
  row,
  onClose,
  onDeleted,
}: {
  env: Environment;
  table: string;
  row: TableRow;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  // Runs after the Dialog's own effect opened the <dialog>, so the browser's initial focus does not win.
  useEffect(() => cancel.current?.focus(), []);
  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteRow(env, table, row.key);
      onDeleted();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Delete row" open onClose={onClose}>
      <p>
        Delete the row <code>{row.key}</code> from <strong>{table}</strong> in <strong>{env}</strong>? Workflows in{' '}
        {env} will no longer find it. This cannot be undone.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose} ref={cancel}>
          Cancel
        </button>
        <button type="button" className="btn danger" onClick={remove} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete row'}
        </button>
      </div>
    </Dialog>
  );
}
