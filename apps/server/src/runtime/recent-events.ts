/**
 * Parsed payloads of events this process just ingested that have runs waiting, by event row id. Most runs
 * are claimed by the process that received their event moments earlier; handing them the object ingest already
 * parsed saves the database from rendering the jsonb back to text and this process from parsing it again.
 * Misses (another process's events, retries, replays) read the payload from the database.
 */
export class RecentEvents {
  readonly #byId = new Map<number, unknown>();

  constructor(private readonly capacity = 4096) {}

  remember(eventRowId: number, payload: unknown): void {
    if (this.#byId.size >= this.capacity) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.#byId.keys().next();
      if (!oldest.done) this.#byId.delete(oldest.value);
    }
    this.#byId.set(eventRowId, payload);
  }

  /** Hands the payload over once: a run claimed twice reads it from the database the second time. */
  take(eventRowId: number): unknown {
    const payload = this.#byId.get(eventRowId);
    this.#byId.delete(eventRowId);
    return payload;
  }
}
