/** The execution drawn on the canvas (a test run or a past run in view) and the sample event of the editor. */
import type { Execution } from '../../api/types.js';
import type { FlowEdge } from '../../flow/convert.js';
import { decorateEdges, runStatusByNode, stepsByNode } from '../runOverlay.js';
import type { CanvasStore, RunOverlay, RunSlice, SetState } from './types.js';

export function overlayOf(execution: Execution | null): RunOverlay | null {
  if (!execution) return null;
  const steps = stepsByNode(execution);
  return { execution, steps, status: runStatusByNode(steps) };
}

/** The edges as drawn: with the run's path marked while a run is shown. */
export const shownEdges = (s: Pick<CanvasStore, 'edges' | 'run'>): FlowEdge[] =>
  decorateEdges(s.edges, s.run?.status ?? null, s.run?.steps);

export const runActions = (set: SetState): Pick<RunSlice, 'startedTestRun' | 'showRun' | 'chooseSample'> => ({
  startedTestRun: (testRunId) => set({ testRunId, run: null, runError: null }),
  showRun: (execution, error = null) =>
    set((s) =>
      s.run?.execution === execution && s.runError === error ? {} : { run: overlayOf(execution), runError: error },
    ),
  chooseSample: (sampleChoice) => set({ sampleChoice }),
});
