/**
 * The state of one open workflow on the canvas, in a zustand store (as React Flow recommends beyond
 * a demo): a factory, so every canvas, and every re-opening of a workflow, starts from its own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Execution, WorkflowDoc, WorkflowRecord } from '../../api/types.js';
import { documentToFlow } from '../../flow/convert.js';
import { clipboardActions } from './clipboard.js';
import { deriveDocument, documentActions, documentState, keyOfDocument } from './document.js';
import { graphActions } from './graph.js';
import { historyActions } from './history.js';
import { overlayOf, runActions } from './run.js';
import type { CanvasStore, SetState } from './types.js';

export interface CanvasInit {
  record: WorkflowRecord;
  /** In run view: the execution and the document of the version it ran; the canvas is then read-only. */
  view: { execution: Execution; document: WorkflowDoc } | null;
  /** The clock for coalescing edits in history (tests pass their own). */
  now?: () => number;
}

export type CanvasStoreApi = StoreApi<CanvasStore>;

export function createCanvasStore({ record, view, now = Date.now }: CanvasInit): CanvasStoreApi {
  // The editor opens the draft, if autosave left one: an edit is never lost by leaving the page.
  const { meta, nodes, edges, notes } = documentToFlow(view ? view.document : (record.draft ?? record.document));
  return createStore<CanvasStore>()((rawSet, get) => {
    // Every change goes through here, so the document's key, validation and issues never lag the graph.
    const set: SetState = (patch) =>
      rawSet((s) => {
        const change = typeof patch === 'function' ? patch(s) : patch;
        if (Object.keys(change).length === 0) return s;
        return { ...change, ...deriveDocument(s, { ...s, ...change }) };
      });
    const base = {
      readOnly: view !== null,
      meta,
      nodes,
      edges,
      notes,
      reveal: null,
      picker: null,
      mapOpen: false,
      notice: null,
      past: [],
      future: [],
      lastEdit: null,
      saving: false,
      failure: null,
      conflict: null,
      etag: record.etag,
      latest: { version: record.version, document: record.document, published: record.published },
      testRunId: null,
      run: overlayOf(view?.execution ?? null),
      runError: null,
      sampleChoice: null,
      ...graphActions(set, get),
      ...clipboardActions(set, get),
      ...historyActions(set, get, now),
      ...documentActions(set, get),
      ...runActions(set),
    };
    const derived = documentState(base);
    const versionKey = view || !record.draft ? derived.docKey : keyOfDocument(record.document);
    return { ...base, ...derived, savedKey: derived.docKey, versionKey };
  });
}
