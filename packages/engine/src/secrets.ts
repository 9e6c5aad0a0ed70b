/**
 * Secrets in a run: `context.secrets.NAME` resolves to the real value so the port sends it, and everything the
 * run hands back (step records, errors, log entries) has each value replaced by its mask, so whichever process
 * stores or prints them never sees one.
 */
import { NonRetriableError } from './errors.js';

/** A secret's name, as in an environment variable: `SLACK_WEBHOOK_URL`. */
export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Values shorter than this would turn every record into dots; the admin API refuses them. */
export const MIN_SECRET_LENGTH = 4;

const DOTS = '••••';

/** `••••1234`: the last four characters tell which value it is, but only of a value long enough to spare them. */
export function maskSecretValue(value: string): string {
  return value.length >= 12 ? `${DOTS}${value.slice(-4)}` : DOTS;
}

export class MissingSecretError extends NonRetriableError {
  override readonly name: string = 'MissingSecretError';
  readonly secret: string;
  constructor(secret: string, env: string) {
    super(`secret ${secret} is not set in ${env}`);
    this.secret = secret;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces secret values inside the strings (and object keys) of a JSON-like value. */
export type Redactor = <T>(value: T) => T;

const identity: Redactor = (value) => value;

/**
 * A redactor for these secret values. Each value is also matched as it appears JSON-escaped inside a body and
 * percent-encoded inside a URL. One pass of one pattern, longest first: where two values overlap, the longer one
 * is masked whole, and a mask is never itself scanned again. A mask whose visible tail holds another secret's
 * value shows dots only.
 */
export function createRedactor(secrets: Readonly<Record<string, string>> | undefined): Redactor {
  const values = [...new Set(Object.values(secrets ?? {}))].filter((v) => typeof v === 'string' && v.length > 0);
  if (values.length === 0) return identity;
  const maskOf = new Map<string, string>();
  for (const value of values) {
    let mask = maskSecretValue(value);
    if (values.some((other) => other !== value && mask.includes(other))) mask = DOTS;
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      if (!maskOf.has(form)) maskOf.set(form, mask);
    }
  }
  const pattern = new RegExp(
    [...maskOf.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  const text = (s: string) => (s.length === 0 ? s : s.replace(pattern, (m) => maskOf.get(m) ?? DOTS));
  const walk = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return text(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => walk(v, seen));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[text(k)] = walk(v, seen);
      return out;
    } finally {
      seen.delete(value);
    }
  };
  return <T>(value: T): T => walk(value, new WeakSet()) as T;
}

/** `context.secrets.NAME` and `context.secrets["NAME"]` anywhere in the strings of a node's config. */
const REFERENCE = /\bcontext\s*\.\s*secrets\s*(?:\.\s*([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g;

/** The secret names a node's config refers to inside its `{{ }}` templates. */
export function referencedSecrets(config: unknown): string[] {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      for (const m of value.matchAll(REFERENCE)) names.add((m[1] ?? m[2])!);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(config);
  return [...names];
}
