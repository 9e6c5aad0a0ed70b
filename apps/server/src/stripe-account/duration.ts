/**
 * RECONCILE_EVERY: `1h`, `30m`, `90s`, `1d` or plain seconds; `0` or `off` turns the schedule off.
 * Returns milliseconds (0 = off), or undefined when the text is not a duration.
 */
export function parseDuration(text: string | undefined, fallbackMs: number): number | undefined {
  const raw = text?.trim().toLowerCase();
  if (!raw) return fallbackMs;
  if (raw === 'off' || raw === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  const ms = Math.round(Number(m[1]) * unit);
  return ms > 0 ? ms : undefined;
}

export const DEFAULT_RECONCILE_EVERY_MS = 60 * 60 * 1000;
