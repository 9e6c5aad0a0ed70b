import { nodeOutputs } from '../flow/catalog.js';
import type { StepNode } from '../flow/convert.js';
import { connectionProblem } from '../flow/rules.js';
import { ExpressionEnvContext } from '../inspector/ExpressionContext.js';
import { Inspector } from '../inspector/Inspector.js';
import { OutputsEditor } from '../inspector/OutputsEditor.js';
import { useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { useInspectorEnv } from './useInspectorEnv.js';

const NO_ISSUES: never[] = [];

/** The selected node's config, label and outputs, with expressions completed from the sample and the run. */
export function NodeInspector({ node }: { node: StepNode }) {
  const store = useCanvasStoreApi();
  const nodes = useCanvasStore((s) => s.nodes);
  const edges = useCanvasStore((s) => s.edges);
  const readOnly = useCanvasStore((s) => s.readOnly);
  const issues = useCanvasStore((s) => s.issues.byNode.get(node.id)) ?? NO_ISSUES;
  const steps = useCanvasStore((s) => s.run?.steps.get(node.id)) ?? NO_ISSUES;
  const env = useInspectorEnv(node);
  const { id } = node;
  return (
    <ExpressionEnvContext.Provider value={env}>
      <Inspector
        key={id}
        node={node}
        issues={issues}
        steps={steps}
        readOnly={readOnly}
        onConfigChange={(config) => store.getState().setConfig(id, config)}
        onLabelChange={(label) => store.getState().setLabel(id, label)}
        onDelete={() => store.getState().deleteNode(id)}
      />
      <OutputsEditor
        node={node}
        outputs={nodeOutputs(node.data.type, node.data.config)}
        nodes={nodes}
        edges={edges}
        readOnly={readOnly}
        canConnect={(s, h, t) => connectionProblem(nodes, edges, { source: s, target: t, sourceHandle: h })}
        onConnect={(h, t) => store.getState().connect(id, h, t)}
        onDisconnect={(edgeId) => store.getState().disconnect(edgeId)}
      />
    </ExpressionEnvContext.Provider>
  );
}
