import { samplesForTrigger } from '@switchyard/engine/samples';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isTrigger } from '../flow/catalog.js';
import { useCanvasStore } from './store/context.js';

/**
 * The sample event for previews and test runs: the one chosen, while it fits the trigger, or the
 * trigger family's sample for the first action the trigger listens to.
 */
export function useSample() {
  const { triggerType, actions, choice } = useCanvasStore(
    useShallow((s) => {
      const trigger = s.nodes.find((n) => isTrigger(n.data.type));
      const actions = trigger?.data.config.actions;
      return {
        triggerType: trigger?.data.type ?? null,
        actions: Array.isArray(actions) ? (actions as string[]).join('|') : '',
        choice: s.sampleChoice,
      };
    }),
  );
  const samples = useMemo(() => (triggerType ? samplesForTrigger(triggerType) : []), [triggerType]);
  return useMemo(() => {
    const wanted = actions ? actions.split('|') : [];
    const preferred =
      samples.find((s) => wanted.some((a) => String(s.type).endsWith(`.${a}`) || String(s.type).endsWith(`_${a}`))) ??
      samples[0];
    const sampleType = choice && samples.some((s) => s.type === choice) ? choice : String(preferred?.type ?? '');
    return { triggerType, samples, sampleType, sample: samples.find((s) => s.type === sampleType) };
  }, [triggerType, samples, actions, choice]);
}
