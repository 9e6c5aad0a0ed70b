import { useCallback, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ApiError, api, describeError } from '../api/client.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { isDirty, parseDocKey } from './store/document.js';

const DELAY_MS = 1200;

/**
 * Saves the document a moment after it last changed, when it is valid. Each save is a new
 * version on the server, so edits are debounced; the store's save status says where things stand.
 */
export function useAutosave(workflowId: string): { saveNow: () => Promise<void> } {
  const store = useCanvasStoreApi();
  const { readOnly, dirty, valid, saving, docKey, failedKey } = useCanvasStore(
    useShallow((s) => ({
      readOnly: s.readOnly,
      dirty: isDirty(s),
      valid: s.validation.ok,
      saving: s.saving,
      docKey: s.docKey,
      failedKey: s.failure?.key ?? null,
    })),
  );
  const inFlight = useRef<Promise<void> | null>(null);

  const saveNow = useCallback(async () => {
    if (inFlight.current) await inFlight.current;
    const { docKey: key, setSaving, saved, saveFailed } = store.getState();
    setSaving(true);
    const p = api.saveWorkflow(workflowId, parseDocKey(key)).then(
      (r) => saved(key, { version: r.version, document: r.document, published: r.published }),
      (err: unknown) => {
        saveFailed({ key, message: describeError(err), issues: err instanceof ApiError ? err.issues : [] });
        throw err;
      },
    );
    inFlight.current = p.catch(() => undefined);
    try {
      await p;
    } finally {
      inFlight.current = null;
      setSaving(false);
    }
  }, [store, workflowId]);

  // Each edit (a new docKey) restarts the delay; a document the server refused waits for the next edit.
  useEffect(() => {
    if (readOnly || !dirty || !valid || saving || failedKey === docKey) return;
    const t = window.setTimeout(() => void saveNow().catch(() => undefined), DELAY_MS);
    return () => window.clearTimeout(t);
  }, [readOnly, dirty, valid, saving, failedKey, docKey, saveNow]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  return { saveNow };
}
