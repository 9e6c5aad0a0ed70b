import { useCallback, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ApiError, api, describeError } from '../api/client.js';
import type { WorkflowRecord } from '../api/types.js';
import { setNavigationGuard } from '../router.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { isDirty, isUnversioned, parseDocKey } from './store/document.js';

const DELAY_MS = 1200;

export interface Saver {
  /** Save: a new version (the Save button, Ctrl+S, before a test run or a publish); nothing when there is no change. */
  saveNow: () => Promise<void>;
  /** Sends a pending edit as the draft at once; true once the server has what the canvas shows. */
  flush: () => Promise<boolean>;
  /** After a conflict: writes this canvas's document over what the other save stored. */
  overwrite: () => Promise<void>;
}

/**
 * Autosave keeps the document as the workflow's draft a moment after it last changed, when it is valid: no version,
 * nothing runs it. Save makes a version. Every write sends the ETag this canvas last saw, so a save from another tab
 * in between ends in a conflict the user settles rather than one overwriting the other. Leaving the page in-app
 * first flushes the draft, and asks when that cannot be done; closing the tab warns.
 */
export function useAutosave(workflowId: string): Saver {
  const store = useCanvasStoreApi();
  const { readOnly, dirty, valid, saving, docKey, failedKey, conflict } = useCanvasStore(
    useShallow((s) => ({
      readOnly: s.readOnly,
      dirty: isDirty(s),
      valid: s.validation.ok,
      saving: s.saving,
      docKey: s.docKey,
      failedKey: s.failure?.key ?? null,
      conflict: s.conflict !== null,
    })),
  );
  const inFlight = useRef<Promise<void> | null>(null);

  const write = useCallback(
    async (mode: 'draft' | 'version') => {
      if (inFlight.current) await inFlight.current;
      const { docKey: key, etag, setSaving, saved, saveFailed, conflicted } = store.getState();
      setSaving(true);
      const send = mode === 'draft' ? api.saveDraft : api.saveWorkflow;
      const p = send(workflowId, parseDocKey(key), etag).then(
        (r) => saved(key, { version: r.version, document: r.document, published: r.published }, r.etag, mode),
        (err: unknown) => {
          const current =
            err instanceof ApiError && err.code === 'version_conflict'
              ? (err.body as { current?: WorkflowRecord }).current
              : undefined;
          if (current) conflicted({ current, mode });
          else saveFailed({ key, message: describeError(err), issues: err instanceof ApiError ? err.issues : [] });
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
    },
    [store, workflowId],
  );

  const saveNow = useCallback(async () => {
    const s = store.getState();
    if (s.readOnly || (!isUnversioned(s) && !isDirty(s))) return;
    await write('version');
  }, [store, write]);

  const flush = useCallback(async () => {
    const s = store.getState();
    if (s.readOnly || !isDirty(s)) return true;
    if (!s.validation.ok || s.conflict) return false;
    try {
      await write('draft');
    } catch {
      return false;
    }
    return !isDirty(store.getState());
  }, [store, write]);

  const overwrite = useCallback(async () => {
    const c = store.getState().conflict;
    if (!c) return;
    // Mine over theirs, on purpose: the ETag of what they saved makes the write current.
    store.setState({ etag: c.current.etag });
    store.getState().conflicted(null);
    await write(c.mode);
  }, [store, write]);

  // Each edit (a new docKey) restarts the delay; a document the server refused waits for the next edit, and a
  // conflict waits for the user.
  useEffect(() => {
    if (readOnly || !dirty || !valid || saving || conflict || failedKey === docKey) return;
    const t = window.setTimeout(() => void write('draft').catch(() => undefined), DELAY_MS);
    return () => window.clearTimeout(t);
  }, [readOnly, dirty, valid, saving, conflict, failedKey, docKey, write]);

  useEffect(() => {
    if (readOnly || !dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    const unguard = setNavigationGuard(async () => {
      if (await flush()) return true;
      const s = store.getState();
      const why = s.conflict
        ? 'someone else saved this workflow meanwhile'
        : !s.validation.ok
          ? 'the workflow has problems, so it cannot be saved'
          : 'the save failed';
      return window.confirm(`Your last change is not saved (${why}). Leave this page and lose it?`);
    });
    return () => {
      window.removeEventListener('beforeunload', warn);
      unguard();
    };
  }, [readOnly, dirty, flush, store]);

  return { saveNow, flush, overwrite };
}
