import { buildEventContext } from '@switchyard/engine';
import { useMemo } from 'react';
import { api } from '../api/client.js';
import { useAsync } from '../components/useAsync.js';
import { isTrigger } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { collectPaths, type PathSuggestion, settingsPaths } from '../inspector/contextPaths.js';
import type { ExpressionEnv } from '../inspector/ExpressionContext.js';
import { sampleContext } from '../inspector/preview.js';
import { useEnvironmentSettings } from '../pages/environmentSettings.js';
import { useCanvasStore } from './store/context.js';
import { useSample } from './useSample.js';

/**
 * What expressions in the selected node can refer to: the event (in an execution view the one that run
 * handled, else the sample), the env, the environment's secrets (as their masks) and variables, and the other
 * steps' outputs (the run's, when one is shown).
 */
export function useInspectorEnv(selected: StepNode): ExpressionEnv {
  const { sample } = useSample();
  const nodes = useCanvasStore((s) => s.nodes);
  const steps = useCanvasStore((s) => s.run?.steps);
  const execution = useCanvasStore((s) => (s.readOnly ? (s.run?.execution ?? null) : null));
  const env = execution?.environment ?? 'editor';
  const eventId = execution?.eventId ?? null;
  const runEvent = useAsync(
    () => (eventId ? api.event(env, eventId).then((e) => e.payload) : Promise.resolve(null)),
    [env, eventId],
  );
  const settings = useEnvironmentSettings(env);
  // While the run's event loads (or when it cannot be read), previews fall back to the sample.
  const event = (eventId && runEvent.data) || sample;
  const { id, data } = selected;
  const templates = !isTrigger(data.type);
  return useMemo(() => {
    const stepOutputs: Record<string, unknown> = {};
    for (const [nodeId, list] of steps ?? []) if (list[0]) stepOutputs[nodeId] = list[0].output;
    const secrets = Object.fromEntries(settings.secrets.map((s) => [s.name, s.masked]));
    const vars = Object.fromEntries(settings.vars.map((v) => [v.name, v.value]));
    const context = event ? sampleContext(event, stepOutputs, { secrets, vars }, env) : null;
    const paths: PathSuggestion[] = [];
    if (event) {
      try {
        paths.push(...collectPaths(buildEventContext(event), 'context.event'));
      } catch {
        // not a usable event: no completions
      }
    }
    paths.push({ path: 'context.env', preview: JSON.stringify(env) });
    paths.push(...settingsPaths(settings.secrets, settings.vars));
    for (const n of nodes) {
      if (n.id === id) continue;
      if (n.id in stepOutputs) paths.push(...collectPaths(stepOutputs[n.id], `context.steps.${n.id}`));
      else paths.push({ path: `context.steps.${n.id}`, preview: 'output' });
    }
    return { paths, context, templates };
  }, [event, env, steps, nodes, id, templates, settings]);
}
