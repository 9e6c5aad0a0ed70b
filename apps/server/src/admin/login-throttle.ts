export interface LoginThrottleOptions {
  /** Wrong tokens allowed from one address per window; the next attempt is refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses tracked at once: the map never grows past this, whatever an attacker sprays. */
  maxEntries?: number;
  clock?: () => number;
}

interface Entry {
  failures: number;
  windowStart: number;
}

/**
 * Failed admin-token attempts per client address, in memory (each process counts its own). A fixed window starts
 * at an address's first failure; after `maxFailures` in it every attempt from that address is refused until the
 * window ends, the right token included (otherwise a right guess would stand out from the refusals). A success
 * does not reset the count: a client sharing the address (a NAT) must not reopen the window for a guesser.
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.#maxFailures = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 10 * 60 * 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#clock = options.clock ?? Date.now;
  }

  /** Seconds until `address` may try again, or undefined when it may try now. */
  retryAfter(address: string): number | undefined {
    const entry = this.#live(address);
    if (!entry || entry.failures < this.#maxFailures) return undefined;
    return Math.max(1, Math.ceil((entry.windowStart + this.#windowMs - this.#clock()) / 1000));
  }

  fail(address: string): void {
    const entry = this.#live(address);
    if (entry) {
      entry.failures += 1;
      return;
    }
    if (this.#entries.size >= this.#maxEntries) this.#evict();
    this.#entries.set(address, { failures: 1, windowStart: this.#clock() });
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(address: string): Entry | undefined {
    const entry = this.#entries.get(address);
    if (entry && this.#clock() - entry.windowStart >= this.#windowMs) {
      this.#entries.delete(address);
      return undefined;
    }
    return entry;
  }

  /** Expired windows first; if every window is live, the oldest (Map keeps insertion order). */
  #evict(): void {
    const now = this.#clock();
    for (const [address, entry] of this.#entries)
      if (now - entry.windowStart >= this.#windowMs) this.#entries.delete(address);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
