/** Pretty JSON in a scrollable block. */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return (
    // biome-ignore lint/a11y: a long payload scrolls, so the block is named and reachable by keyboard (axe's scrollable-region-focusable)
    <pre className="json" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}
