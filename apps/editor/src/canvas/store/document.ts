/** The workflow document behind the graph: its key for autosave, validation, save state and the latest version. */
import { type ValidationIssue, validateWorkflow } from '@switchyard/engine';
import type { WorkflowDoc } from '../../api/types.js';
import { editorRegistry } from '../../flow/catalog.js';
import { documentToFlow, flowToDocument } from '../../flow/convert.js';
import { groupIssues } from '../../flow/issues.js';
import type { CanvasStore, DocumentSlice, GetState, SetState } from './types.js';

type Derived = Pick<DocumentSlice, 'docKey' | 'validation' | 'errors' | 'issues'>;

export const docKeyOf = (s: Pick<CanvasStore, 'meta' | 'nodes' | 'edges' | 'notes'>) =>
  JSON.stringify(flowToDocument(s.meta, s.nodes, s.edges, s.notes));

/** The canvas holds an edit the server does not have yet (neither as the draft nor as a version). */
export const isDirty = (s: Pick<CanvasStore, 'docKey' | 'savedKey'>) => s.docKey !== s.savedKey;

/** The canvas differs from the latest saved version: Save would make a new one. */
export const isUnversioned = (s: Pick<CanvasStore, 'docKey' | 'versionKey'>) => s.docKey !== s.versionKey;

/** The key a document would have on the canvas (documentToFlow then back), to compare with `docKey`. */
export const keyOfDocument = (doc: WorkflowDoc) => docKeyOf(documentToFlow(doc));

/** The failure of the last save, while the document is still the one that failed. */
export const currentFailure = (s: Pick<CanvasStore, 'docKey' | 'failure'>) =>
  s.failure?.key === s.docKey ? s.failure : null;

export type SaveStatus = 'saved' | 'draft' | 'pending' | 'saving' | 'invalid' | 'error' | 'conflict';

export function saveStatus(s: CanvasStore): SaveStatus {
  if (s.conflict) return 'conflict';
  if (s.saving) return 'saving';
  if (!isDirty(s)) return isUnversioned(s) ? 'draft' : 'saved';
  if (currentFailure(s)) return 'error';
  return s.validation.ok ? 'pending' : 'invalid';
}

type DeriveInput = Pick<CanvasStore, 'meta' | 'nodes' | 'edges' | 'notes' | 'failure'>;

function issuesOf(docKey: string, validation: DocumentSlice['validation'], failure: CanvasStore['failure']) {
  const remote = currentFailure({ docKey, failure })?.issues ?? [];
  const local = validation.ok ? [] : validation.errors;
  const errors: ValidationIssue[] = [...local, ...remote.map((i) => ({ ...i, text: `${i.path}: ${i.message}` }))];
  return { errors, issues: groupIssues(errors) };
}

// The engine validates the document as the server receives it: parsed back from its JSON.
const validate = (docKey: string) => validateWorkflow(JSON.parse(docKey) as unknown, { registry: editorRegistry });

/** Everything that follows from a document, for a new store. */
export function documentState(s: DeriveInput): Derived {
  const docKey = docKeyOf(s);
  const validation = validate(docKey);
  return { docKey, validation, ...issuesOf(docKey, validation, s.failure) };
}

/**
 * What follows from the document after a change, only as far as its inputs changed: a selection or a
 * measurement leaves the key alone, and an unchanged key is not validated again.
 */
export function deriveDocument(prev: CanvasStore, next: CanvasStore): Partial<Derived> {
  const graphChanged =
    prev.meta !== next.meta || prev.nodes !== next.nodes || prev.edges !== next.edges || prev.notes !== next.notes;
  const docKey = graphChanged ? docKeyOf(next) : next.docKey;
  const keyChanged = docKey !== prev.docKey;
  if (!keyChanged && prev.failure === next.failure) return {};
  const validation = keyChanged ? validate(docKey) : next.validation;
  return { docKey, validation, ...issuesOf(docKey, validation, next.failure) };
}

export const documentActions = (
  set: SetState,
  get: GetState,
): Pick<DocumentSlice, 'setName' | 'setSaving' | 'saved' | 'saveFailed' | 'published' | 'conflicted' | 'reload'> => ({
  setName: (name) => {
    get().record('name');
    set((s) => ({ meta: { ...s.meta, name } }));
  },
  setSaving: (saving) => set({ saving }),
  saved: (key, latest, etag, kind = 'version') =>
    set((s) => ({
      savedKey: key,
      failure: null,
      conflict: null,
      latest,
      etag: etag ?? s.etag,
      versionKey: kind === 'version' ? key : keyOfDocument(latest.document),
    })),
  conflicted: (conflict) => set({ conflict }),
  reload: (record) => {
    const shown = documentToFlow(record.draft ?? record.document);
    const key = docKeyOf(shown);
    set({
      ...shown,
      past: [],
      future: [],
      lastEdit: null,
      savedKey: key,
      versionKey: keyOfDocument(record.document),
      etag: record.etag,
      conflict: null,
      failure: null,
      latest: { version: record.version, document: record.document, published: record.published },
    });
  },
  saveFailed: (failure) => set({ failure }),
  published: (target, version) =>
    set((s) => ({ latest: { ...s.latest, published: { ...s.latest.published, [target]: version } } })),
});

export const parseDocKey = (key: string) => JSON.parse(key) as WorkflowDoc;
