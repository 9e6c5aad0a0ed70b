import { buildEventContext } from '@switchyard/engine';
import { useMemo } from 'react';
import { isTrigger } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { collectPaths, type PathSuggestion, settingsPaths } from '../inspector/contextPaths.js';
import type { ExpressionEnv } from '../inspector/ExpressionContext.js';
import { sampleContext } from '../inspector/preview.js';
import { useEnvironmentSettings } from '../pages/environmentSettings.js';
import { useCanvasStore } from './store/context.js';
import { useSample } from './useSample.js';

/**
 * What expressions in the selected node can refer to: the sample event, the env, the editor environment's secrets
 * (as their masks) and variables (test runs run there), and the other steps' outputs.
 */
export function useInspectorEnv(selected: StepNode): ExpressionEnv {
  const { sample } = useSample();
  const nodes = useCanvasStore((s) => s.nodes);
  const steps = useCanvasStore((s) => s.run?.steps);
  const settings = useEnvironmentSettings('editor');
  const { id, data } = selected;
  const templates = !isTrigger(data.type);
  return useMemo(() => {
    const stepOutputs: Record<string, unknown> = {};
    for (const [nodeId, list] of steps ?? []) if (list[0]) stepOutputs[nodeId] = list[0].output;
    const secrets = Object.fromEntries(settings.secrets.map((s) => [s.name, s.masked]));
    const vars = Object.fromEntries(settings.vars.map((v) => [v.name, v.value]));
    const context = sample ? sampleContext(sample, stepOutputs, { secrets, vars }) : null;
    const paths: PathSuggestion[] = [];
    if (sample) {
      try {
        paths.push(...collectPaths(buildEventContext(sample), 'context.event'));
      } catch {
        // not a usable sample: no completions
      }
    }
    paths.push({ path: 'context.env', preview: '"editor"' });
    paths.push(...settingsPaths(settings.secrets, settings.vars));
    for (const n of nodes) {
      if (n.id === id) continue;
      if (n.id in stepOutputs) paths.push(...collectPaths(stepOutputs[n.id], `context.steps.${n.id}`));
      else paths.push({ path: `context.steps.${n.id}`, preview: 'output' });
    }
    return { paths, context, templates };
  }, [sample, steps, nodes, id, templates, settings]);
}
