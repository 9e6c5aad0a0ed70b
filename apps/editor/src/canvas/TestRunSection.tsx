import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api, describeError } from '../api/client.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { isDirty, isUnversioned } from './store/document.js';
import { TestRunPanel } from './TestRunPanel.js';
import { useSample } from './useSample.js';

type Source = { event: unknown } | { eventId: string };

/** Test runs from the editor: saves pending edits first (a test runs the saved version), then starts and shows the run. */
export function TestRunSection({ workflowId, saveNow }: { workflowId: string; saveNow: () => Promise<void> }) {
  const store = useCanvasStoreApi();
  const { execution, runError } = useCanvasStore(
    useShallow((s) => ({ execution: s.run?.execution ?? null, runError: s.runError })),
  );
  const { trigger, samples, sampleType } = useSample();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (source: Source) => {
    setBusy(true);
    setError(null);
    try {
      const s = store.getState();
      // An autosaved draft is not a version either: a test runs the saved version, so make one first.
      if (isDirty(s) || isUnversioned(s)) {
        if (!s.validation.ok) throw new Error('Fix the problems first: a test runs the saved version.');
        await saveNow();
      }
      const { executionId } = await api.testRun(workflowId, source);
      store.getState().startedTestRun(executionId);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <TestRunPanel
      trigger={trigger}
      samples={samples}
      sampleType={sampleType}
      onSampleType={(type) => store.getState().chooseSample(type)}
      onRun={(source) => void run(source)}
      busy={busy}
      execution={execution}
      error={error ?? runError}
      onClear={() => store.getState().startedTestRun(null)}
    />
  );
}
