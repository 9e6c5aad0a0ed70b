/** A coloured pill for run, step and event statuses. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.replace(/[^a-z_]/gi, '')}`}>{status}</span>;
}
