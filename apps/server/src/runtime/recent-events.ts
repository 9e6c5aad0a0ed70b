/**
 * Parsed payloads of events this process just ingested that have runs waiting, by event row id. Most runs
 * are claimed by the process that received their event moments earlier; handing them the object ingest already
 * parsed saves the database from rendering the jsonb back to text and this process from parsing it again.
 * Misses (another process's events, retries, replays) read the payload from the database.
 *
 * Bounded three ways, so payloads whose runs another process claims (never taken here) cannot pile up: a count,
 * a byte budget (by the size of the raw body) and a time to live. A miss only costs a database read.
 */
export interface RecentEventsOptions {
  capacity?: number;
  maxBytes?: number;
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  payload: unknown;
  bytes: number;
  at: number;
}

export class RecentEvents {
  readonly #byId = new Map<number, Entry>();
  readonly #capacity: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: RecentEventsOptions | number = {}) {
    const o = typeof options === 'number' ? { capacity: options } : options;
    this.#capacity = o.capacity ?? 4096;
    this.#maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
    this.#ttlMs = o.ttlMs ?? 60_000;
    this.#now = o.now ?? Date.now;
  }

  /** `bytes`: the size of the raw body the payload was parsed from (a parsed object takes a few times more). */
  remember(eventRowId: number, payload: unknown, bytes = 0): void {
    const now = this.#now();
    this.#expire(now);
    if (bytes > this.#maxBytes) return;
    this.#drop(eventRowId);
    // Oldest first: Map keeps insertion order, which is also time order.
    while (this.#byId.size > 0 && (this.#byId.size >= this.#capacity || this.#bytes + bytes > this.#maxBytes)) {
      this.#drop(this.#byId.keys().next().value!);
    }
    this.#byId.set(eventRowId, { payload, bytes, at: now });
    this.#bytes += bytes;
  }

  /** Hands the payload over once: a run claimed twice reads it from the database the second time. */
  take(eventRowId: number): unknown {
    const entry = this.#byId.get(eventRowId);
    if (!entry) return undefined;
    this.#drop(eventRowId);
    return this.#now() - entry.at > this.#ttlMs ? undefined : entry.payload;
  }

  get size(): number {
    return this.#byId.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #expire(now: number): void {
    for (const [id, entry] of this.#byId) {
      if (now - entry.at <= this.#ttlMs) break;
      this.#drop(id);
    }
  }

  #drop(id: number): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    this.#bytes -= entry.bytes;
    this.#byId.delete(id);
  }
}
