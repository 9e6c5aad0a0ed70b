import type { FlowEdge, StepNode } from '../flow/convert.js';
import { MAIN_HANDLE } from '../flow/convert.js';

interface Props {
  node: StepNode;
  outputs: readonly string[];
  nodes: readonly StepNode[];
  edges: readonly FlowEdge[];
  readOnly: boolean;
  canConnect: (source: string, handle: string | null, target: string) => string | null;
  onConnect: (handle: string | null, target: string) => void;
  onDisconnect: (edgeId: string) => void;
}

/** Connections from each output, editable without a mouse. */
export function OutputsEditor({ node, outputs, nodes, edges, readOnly, canConnect, onConnect, onDisconnect }: Props) {
  if (outputs.length === 0) return null;
  const label = (id: string) => {
    const n = nodes.find((x) => x.id === id);
    return n?.data.label ? `${n.data.label} (${id})` : id;
  };
  return (
    <section className="outputs" aria-label="Connections">
      <h3>Connections</h3>
      {outputs.map((o) => {
        const handle = o === MAIN_HANDLE ? null : o;
        const out = edges.filter((e) => e.source === node.id && (e.sourceHandle ?? null) === handle);
        const candidates = nodes.filter((n) => canConnect(node.id, handle, n.id) === null);
        return (
          <div key={o} className="output-row">
            <span className="output-name">{o === MAIN_HANDLE ? 'next' : o}</span>
            <span className="output-targets">
              {out.map((e) => (
                <span key={e.id} className="chip">
                  → {label(e.target)}
                  {!readOnly && (
                    <button
                      type="button"
                      className="btn ghost icon"
                      aria-label={`Disconnect ${o} from ${e.target}`}
                      onClick={() => onDisconnect(e.id)}
                    >
                      ×
                    </button>
                  )}
                </span>
              ))}
              {!readOnly && candidates.length > 0 && (
                <select
                  aria-label={`Connect ${o} to`}
                  value=""
                  onChange={(e) => e.target.value && onConnect(handle, e.target.value)}
                >
                  <option value="">connect to…</option>
                  {candidates.map((n) => (
                    <option key={n.id} value={n.id}>
                      {label(n.id)}
                    </option>
                  ))}
                </select>
              )}
            </span>
          </div>
        );
      })}
    </section>
  );
}
