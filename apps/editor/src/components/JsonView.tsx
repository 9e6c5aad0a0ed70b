/** Pretty JSON in a scrollable block. */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}
