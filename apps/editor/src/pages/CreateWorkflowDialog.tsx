import type { CatalogEntry } from '@switchyard/engine';
import type { WorkflowTemplate } from '@switchyard/engine/templates';
import { FilePlus2 } from 'lucide-react';
import { type FormEvent, lazy, type ReactElement, Suspense, useEffect, useState } from 'react';
import { ApiError, api, describeError } from '../api/client.js';
import type { WorkflowDoc } from '../api/types.js';
import { Dialog } from '../components/Dialog.js';

/** What the dialog loads on first open (the engine stays out of the list page's bundle). */
interface Gallery {
  /** Every trigger of the registry, for a blank workflow. */
  triggers: readonly CatalogEntry[];
  templates: readonly WorkflowTemplate[];
  iconOf: (type: string) => ReactElement;
  /** The document with its nodes laid out for the canvas's cards (a template's positions are only a sketch). */
  laidOut: (doc: WorkflowDoc) => Promise<WorkflowDoc>;
}

const BLANK = 'blank';

// The picker searches the engine's event catalogue: loaded with the engine, not with the list page.
const EventTypePicker = lazy(() =>
  import('../inspector/EventTypePicker.js').then((m) => ({ default: m.EventTypePicker })),
);

async function loadGallery(): Promise<Gallery> {
  const [engine, templates, catalog, convert, layout] = await Promise.all([
    import('@switchyard/engine'),
    import('@switchyard/engine/templates'),
    import('../flow/catalog.js'),
    import('../flow/convert.js'),
    import('../canvas/layout.js'),
  ]);
  const laidOut = async (doc: WorkflowDoc) => {
    const { meta, nodes, edges, notes } = convert.documentToFlow(doc);
    return convert.flowToDocument(meta, await layout.autoLayout(nodes, edges), edges, notes);
  };
  return {
    triggers: engine.registryCatalog().filter((e) => e.category === 'trigger' && !e.deprecated),
    templates: templates.WORKFLOW_TEMPLATES,
    iconOf: catalog.iconOf,
    laidOut,
  };
}

/**
 * A new workflow: its name, and what it starts from: a blank canvas with a chosen trigger (a document needs
 * exactly one), or a template from the gallery, created from the template's document as it is.
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
  const [gallery, setGallery] = useState<Gallery | null>(null);
  const [name, setName] = useState('');
  // Whether the user typed the name: picking a template fills it in only while they have not.
  const [named, setNamed] = useState(false);
  const [start, setStart] = useState(BLANK);
  const [trigger, setTrigger] = useState('stripe.checkout_session');
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open || gallery) return;
    void loadGallery().then(setGallery, (err) => setError(describeError(err)));
  }, [open, gallery]);

  const template = gallery?.templates.find((t) => t.id === start) ?? null;
  // A trigger that needs its event types chosen (a field hinted `event-types`, e.g. "On any Stripe event").
  const entry = gallery?.triggers.find((f) => f.type === trigger);
  const typesField = Object.entries(entry?.ui?.fields ?? {}).find(([, f]) => f.widget === 'event-types')?.[0];
  const choose = (id: string) => {
    setStart(id);
    const t = gallery?.templates.find((x) => x.id === id);
    if (!named) setName(t ? t.name : '');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !gallery) return;
    setBusy(true);
    setError(null);
    try {
      const doc: WorkflowDoc = template
        ? await gallery.laidOut({ ...structuredClone(template.document), name: name.trim() })
        : {
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
          };
      const rec = await api.createWorkflow(doc);
      setName('');
      setNamed(false);
      setStart(BLANK);
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
    <Dialog title="New workflow" open={open} onClose={onClose} wide>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNamed(e.target.value !== '');
            }}
            required
            maxLength={200}
            data-autofocus
            placeholder="Track invoices"
          />
        </label>
        <fieldset className="gallery">
          <legend>Start from</legend>
          <div className="gallery-grid">
            <GalleryCard
              id={BLANK}
              checked={start === BLANK}
              onChoose={choose}
              icon={<FilePlus2 size={18} aria-hidden="true" />}
              title="Blank workflow"
              description="A trigger on the Stripe events you pick; build the rest on the canvas."
            />
            {gallery?.templates.map((t) => (
              <GalleryCard
                key={t.id}
                id={t.id}
                checked={start === t.id}
                onChoose={choose}
                icon={gallery.iconOf(t.triggerType)}
                title={t.name}
                description={t.description}
                steps={t.document.nodes.slice(1).map((n) => (
                  <span key={n.id} className="gallery-step" title={n.label ?? n.type}>
                    {gallery.iconOf(n.type)}
                  </span>
                ))}
                needs={t.needs}
              />
            ))}
          </div>
        </fieldset>
        {start === BLANK && (
          <label className="field">
            <span>Starts on</span>
            <select value={trigger} onChange={(e) => setTrigger(e.target.value)} aria-label="Trigger">
              {gallery?.triggers.map((f) => (
                <option key={f.type} value={f.type}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {start === BLANK && typesField && (
          <Suspense fallback={<p className="muted">Loading event types…</p>}>
            <EventTypePicker
              id="new-workflow-types"
              label="Event types"
              value={types}
              onChange={setTypes}
              errors={[]}
            />
          </Suspense>
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
          <button type="submit" className="btn primary" disabled={busy || !name.trim() || !gallery}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One choice of the gallery: a radio (arrow keys move between them) drawn as a card. */
function GalleryCard(props: {
  id: string;
  checked: boolean;
  onChoose: (id: string) => void;
  icon: ReactElement;
  title: string;
  description: string;
  steps?: ReactElement[];
  needs?: readonly string[] | undefined;
}) {
  return (
    <label className={`gallery-card${props.checked ? ' checked' : ''}`} data-template={props.id}>
      <input
        type="radio"
        name="start"
        value={props.id}
        checked={props.checked}
        onChange={() => props.onChoose(props.id)}
        className="sr-only"
      />
      <span className={`node-icon${props.id === BLANK ? '' : ' cat-trigger-icon'}`} aria-hidden="true">
        {props.icon}
      </span>
      <span className="gallery-text">
        <span className="gallery-title">{props.title}</span>
        <span className="gallery-desc" title={props.description}>
          {props.description}
        </span>
        {props.steps && props.steps.length > 0 && <span className="gallery-steps">{props.steps}</span>}
        {props.needs && props.needs.length > 0 && <span className="gallery-needs">Needs {props.needs.join(', ')}</span>}
      </span>
    </label>
  );
}
