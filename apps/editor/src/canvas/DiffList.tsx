import { type DocumentDiff, isEmptyDiff, showValue } from '../flow/diff.js';

/** What changes from one document to another: nodes added and removed, each changed field old → new, connections. */
export function DiffList({ diff, from, to }: { diff: DocumentDiff; from: string; to: string }) {
  if (isEmptyDiff(diff)) return <p className="muted">Same graph as {from} (only layout differs).</p>;
  const lists: [string, string[]][] = [
    ['Added nodes', diff.addedNodes],
    ['Removed nodes', diff.removedNodes],
    ['Added connections', diff.addedEdges],
    ['Removed connections', diff.removedEdges],
  ];
  return (
    <dl className="diff" aria-label={`Changes from ${from} to ${to}`}>
      <dt>Compared</dt>
      <dd>
        {from} → {to}
      </dd>
      {diff.renamed && (
        <>
          <dt>Renamed</dt>
          <dd>
            {diff.renamed.from} → {diff.renamed.to}
          </dd>
        </>
      )}
      {lists
        .filter(([, items]) => items.length)
        .map(([label, items]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {items.map((i) => (
                <code key={i} className="chip">
                  {i}
                </code>
              ))}
            </dd>
          </div>
        ))}
      {diff.notesChanged && (
        <>
          <dt>Notes</dt>
          <dd>Sticky notes added, removed or edited</dd>
        </>
      )}
      {diff.nodeChanges.length > 0 && (
        <div>
          <dt>Changed nodes</dt>
          <dd>
            <ul className="field-changes">
              {diff.nodeChanges.flatMap((n) =>
                n.fields.map((f) => (
                  <li key={`${n.id}:${f.path}`}>
                    <code>
                      {n.id}.{f.path}
                    </code>
                    : <del>{showValue(f.before)}</del> → <ins>{showValue(f.after)}</ins>
                  </li>
                )),
              )}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}
