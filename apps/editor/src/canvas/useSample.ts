import { triggerOfSelection } from '@switchyard/engine';
import { samplesForTrigger } from '@switchyard/engine/samples';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isTrigger } from '../flow/catalog.js';
import { useCanvasStore } from './store/context.js';

const listed = (v: unknown) => (Array.isArray(v) ? v.map(String).join('|') : '');

/**
 * The sample event for previews and test runs: the one chosen, while it fits the trigger, or the
 * trigger family's sample for the first action the trigger listens to. For "On any Stripe event" the
 * samples are those of the types its patterns cover.
 */
export function useSample() {
  const { triggerType, actions, types, choice } = useCanvasStore(
    useShallow((s) => {
      const trigger = s.nodes.find((n) => isTrigger(n.data.type));
      return {
        triggerType: trigger?.data.type ?? null,
        actions: listed(trigger?.data.config.actions),
        types: listed(trigger?.data.config.types),
        choice: s.sampleChoice,
      };
    }),
  );
  const samples = useMemo(
    () => (triggerType ? samplesForTrigger(triggerType, { types: types ? types.split('|') : [] }) : []),
    [triggerType, types],
  );
  return useMemo(() => {
    const wanted = actions ? actions.split('|') : [];
    const preferred =
      samples.find((s) => wanted.some((a) => String(s.type).endsWith(`.${a}`) || String(s.type).endsWith(`_${a}`))) ??
      samples[0];
    const sampleType = choice && samples.some((s) => s.type === choice) ? choice : String(preferred?.type ?? '');
    return {
      triggerType,
      trigger: triggerType ? triggerOfSelection(triggerType, (types || actions).split('|').filter(Boolean)) : null,
      samples,
      sampleType,
      sample: samples.find((s) => s.type === sampleType),
    };
  }, [triggerType, samples, actions, types, choice]);
}
