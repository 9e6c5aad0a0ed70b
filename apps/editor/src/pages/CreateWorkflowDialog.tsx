import type { CatalogEntry } from '@switchyard/engine';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import { Dialog } from '../components/Dialog.js';
import { EventTypePicker } from '../inspector/EventTypePicker.js';

/**
 * Name + trigger: the smallest valid workflow (a document needs exactly one trigger). A trigger that needs its
 * event types chosen (a field hinted `event-types`, e.g. "On any Stripe event") gets the type picker here.
 */
export function CreateWorkflowDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const [families, setFamilies] = useState<readonly CatalogEntry[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [trigger, setTrigger] = useState('stripe.checkout_session');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open || families.length) return;
    // The engine is loaded lazily so the list page stays light.
    void import('@switchyard/engine').then((m) =>
      setFamilies(m.registryCatalog().filter((e) => e.category === 'trigger' && !e.deprecated)),
    );
  }, [open, families.length]);

  const entry = families.find((f) => f.type === trigger);
  const typesField = Object.entries(entry?.ui?.fields ?? {}).find(([, f]) => f.widget === 'event-types')?.[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const rec = await api.createWorkflow({
        name: name.trim(),
        nodes: [
          {
            id: 'trigger',
            type: trigger,
            config: typesField ? { [typesField]: types } : { actions: [] },
            position: { x: 0, y: 0 },
          },
        ],
        edges: [],
      });
      setName('');
      onCreated(rec.id);
    } catch (err) {
      setError(
        err instanceof ApiError && err.issues.length
          ? err.issues.map((i) => `${i.path}: ${i.message}`).join('; ')
          : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="New workflow" open={open} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            autoFocus
            placeholder="Track invoices"
          />
        </label>
        <label className="field">
          <span>Starts on</span>
          <select value={trigger} onChange={(e) => setTrigger(e.target.value)} aria-label="Trigger">
            {families.map((f) => (
              <option key={f.type} value={f.type}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {typesField && (
          <EventTypePicker id="new-workflow-types" label="Event types" value={types} onChange={setTypes} errors={[]} />
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={busy || !name.trim() || families.length === 0}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
