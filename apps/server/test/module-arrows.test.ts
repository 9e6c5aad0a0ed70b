import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

/** The server's top-level parts: each folder of src/, and each file at its root. */
function partOf(file: string): string {
  const [first] = relative(srcDir, file).split(sep);
  return first!.replace(/\.ts$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** part → the parts it imports (type-only imports count: they tie the parts together just the same). */
function partGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(srcDir)) {
    const from = partOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'/g)) {
      const to = partOf(resolve(dirname(file), m[1]!));
      if (to !== from && !edges.has(to)) edges.set(to, relative(srcDir, file));
    }
  }
  return graph;
}

/** Every cycle between parts, each as the path around it. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = [...path.slice(at), next];
        // report each cycle once, from its smallest part
        if (loop[0] === [...loop.slice(0, -1)].sort()[0]) found.push(loop.join(' → '));
      } else visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...new Set(found)];
}

describe('module arrows in apps/server/src', () => {
  const graph = partGraph();

  it('has no cycle between its parts', () => {
    expect(graph.size).toBeGreaterThan(5);
    expect(cycles(graph)).toEqual([]);
  });

  it('lets ingest hand work to the runtime, never the runtime reach back into ingest', () => {
    expect(graph.get('ingest')?.has('runtime')).toBe(true);
    expect(graph.get('runtime')?.get('ingest')).toBeUndefined();
  });
});
