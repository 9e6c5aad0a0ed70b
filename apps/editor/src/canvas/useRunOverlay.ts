import { useEffect } from 'react';
import type { Execution } from '../api/types.js';
import { useCanvasStore } from './store/context.js';
import { useExecution } from './useExecution.js';

/** Polls the execution on the canvas (the one in view, or the latest test run) and draws it through the store. */
export function useRunOverlay(inView: Execution | null): void {
  const testRunId = useCanvasStore((s) => s.testRunId);
  const showRun = useCanvasStore((s) => s.showRun);
  const polled = useExecution(inView ? inView.id : testRunId);
  const execution = polled.execution ?? inView;
  useEffect(() => showRun(execution, polled.error), [showRun, execution, polled.error]);
}
