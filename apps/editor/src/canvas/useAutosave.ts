import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../api/client.js';
import type { Issue } from '../api/types.js';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'error';

const DELAY_MS = 1200;

/**
 * Saves the document a moment after it last changed, when it is valid. Each save is a new
 * version on the server, so edits are debounced; the status says where things stand.
 */
export function useAutosave(opts: {
  enabled: boolean;
  docKey: string;
  valid: boolean;
  save: (docKey: string) => Promise<void>;
}) {
  const { enabled, docKey, valid, save } = opts;
  const [savedKey, setSavedKey] = useState(docKey);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ key: string; message: string; issues: Issue[] } | null>(null);
  const keyRef = useRef(docKey);
  keyRef.current = docKey;
  const saveRef = useRef(save);
  saveRef.current = save;
  const inFlight = useRef<Promise<void> | null>(null);

  const saveNow = useCallback(async () => {
    if (inFlight.current) await inFlight.current;
    const key = keyRef.current;
    setSaving(true);
    const p = saveRef.current(key).then(
      () => {
        setSavedKey(key);
        setFailure(null);
      },
      (err: unknown) => {
        setFailure({ key, message: describeError(err), issues: err instanceof ApiError ? err.issues : [] });
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
  }, []);

  const dirty = docKey !== savedKey;
  useEffect(() => {
    if (!enabled || !dirty || !valid || saving || failure?.key === docKey) return;
    const t = window.setTimeout(() => void saveNow().catch(() => undefined), DELAY_MS);
    return () => window.clearTimeout(t);
  }, [enabled, dirty, valid, saving, failure, docKey, saveNow]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const status: SaveStatus = saving
    ? 'saving'
    : !dirty
      ? 'saved'
      : failure?.key === docKey
        ? 'error'
        : !valid
          ? 'invalid'
          : 'pending';
  return { status, dirty, saveNow, failure: failure?.key === docKey ? failure : null };
}
