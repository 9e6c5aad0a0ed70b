/**
 * The generic trigger's `types`: exact Stripe event types (`payout.paid`) or wildcards (`payout.*`), checked
 * against the catalogue of stripe-node's event types when a workflow is saved, and matched by plain prefix when
 * an event arrives (so a type Stripe adds before stripe-node lists it still reaches `payout.*`).
 */
import { STRIPE_EVENT_TYPES } from './stripe-event-types.js';

/** The catalogue, as plain strings: event types come from payloads, which the literal union would not admit. */
export const EVENT_TYPE_CATALOGUE: readonly string[] = STRIPE_EVENT_TYPES;

const CATALOGUE_SET: ReadonlySet<string> = new Set(EVENT_TYPE_CATALOGUE);

const SEGMENT = '[a-z0-9_]+';
const EXACT = new RegExp(`^${SEGMENT}(\\.${SEGMENT})+$`);
const WILDCARD = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*\\.\\*$`);

export function isWildcard(pattern: string): boolean {
  return pattern.endsWith('.*');
}

/** Whether an event type is a pattern's: the same type, or under a wildcard's prefix. */
export function patternMatches(pattern: string, type: string): boolean {
  if (!isWildcard(pattern)) return pattern === type;
  const prefix = pattern.slice(0, -1);
  return type.length > prefix.length && type.startsWith(prefix);
}

/** The catalogue's types a list of patterns covers, sorted: what a Stripe endpoint must enable for them. */
export function expandPatterns(patterns: readonly string[]): string[] {
  return EVENT_TYPE_CATALOGUE.filter((t) => patterns.some((p) => patternMatches(p, t)));
}

export function isKnownEventType(type: string): boolean {
  return CATALOGUE_SET.has(type);
}

/**
 * What is wrong with one pattern, in the builder's words, or undefined when it is fine. Unknown exact types and
 * wildcards that cover nothing are refused: either is a typo that would otherwise wait silently for ever.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern === '*' || pattern === '') return 'choose event types or a wildcard such as "payout.*", not every event';
  if (isWildcard(pattern)) {
    if (!WILDCARD.test(pattern))
      return `"${pattern}" is not a wildcard: write the start of an event type, a dot and a star, e.g. "payout.*"`;
    if (expandPatterns([pattern]).length === 0)
      return `"${pattern}" matches no Stripe event type${suggestion(pattern.slice(0, -2))}`;
    return undefined;
  }
  if (!EXACT.test(pattern))
    return `"${pattern}" is not a Stripe event type: types look like "payout.paid"; use "payout.*" for all of one kind`;
  if (!isKnownEventType(pattern)) return `"${pattern}" is not a Stripe event type${suggestion(pattern)}`;
  return undefined;
}

/** The nearest catalogue entry by edit distance, as a hint; nothing when no entry is near. */
function suggestion(text: string): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(text.length / 4)) + 1;
  for (const candidate of [...EVENT_TYPE_CATALOGUE, ...wildcardPrefixes()]) {
    const d = distance(text, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (!best) return '';
  return CATALOGUE_SET.has(best) ? ` (did you mean "${best}"?)` : ` (did you mean "${best}.*"?)`;
}

let prefixes: readonly string[] | undefined;

/** Every dotted start of a catalogue type (`payout`, `treasury.outbound_payment`), sorted. */
function wildcardPrefixes(): readonly string[] {
  if (!prefixes) {
    const all = new Set<string>();
    for (const t of EVENT_TYPE_CATALOGUE) {
      const parts = t.split('.');
      for (let i = 1; i < parts.length; i++) all.add(parts.slice(0, i).join('.'));
    }
    prefixes = [...all].sort();
  }
  return prefixes;
}

/** Every wildcard that covers at least one catalogue type, e.g. `payout.*`, `treasury.outbound_payment.*`. */
export function catalogueWildcards(): string[] {
  return wildcardPrefixes().map((p) => `${p}.*`);
}

export interface EventTypeSuggestion {
  /** An exact type or a wildcard, as it goes into `types`. */
  pattern: string;
  /** How many catalogue types it covers (1 for an exact type). */
  covers: number;
}

/**
 * The type picker's search: wildcards and exact types containing every word of the query (`payout`,
 * `dispute created`), wildcards first, then by position of the match and name.
 */
export function searchEventTypes(query: string, limit = 50): EventTypeSuggestion[] {
  const words = query.toLowerCase().split(/[\s]+/).filter(Boolean);
  const hit = (candidate: string) => words.every((w) => candidate.includes(w));
  const wildcards = catalogueWildcards()
    .filter(hit)
    .map((pattern) => ({ pattern, covers: expandPatterns([pattern]).length }));
  const exact = EVENT_TYPE_CATALOGUE.filter(hit).map((pattern) => ({ pattern, covers: 1 }));
  const first = words[0] ?? '';
  const rank = (s: EventTypeSuggestion) => (s.pattern.startsWith(first) ? 0 : 1);
  const byRank = (a: EventTypeSuggestion, b: EventTypeSuggestion) =>
    rank(a) - rank(b) || (a.pattern < b.pattern ? -1 : 1);
  return [...wildcards.sort(byRank), ...exact.sort(byRank)].slice(0, limit);
}

/** Levenshtein distance, giving up (returning `max`) once it cannot be below it. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) >= max) return max;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= max) return max;
    prev = row;
  }
  return Math.min(prev[b.length]!, max);
}
