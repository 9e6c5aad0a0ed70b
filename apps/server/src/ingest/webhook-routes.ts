import type { ConnectionService, WebhookRoute } from '../connections/service.js';

/**
 * Path → connection, with decrypted signing secrets, cached briefly: decrypting and querying per delivery
 * would cost more than the insert. Another process's change is seen within `ttlMs`; this process's own
 * changes call `invalidate()` and are seen at once.
 */
export class WebhookRouteCache {
  #routes: Map<string, WebhookRoute> | undefined;
  #loadedAt = 0;
  #loading: Promise<Map<string, WebhookRoute>> | undefined;

  constructor(
    private readonly connections: ConnectionService,
    private readonly ttlMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  async lookup(path: string): Promise<WebhookRoute | undefined> {
    return (this.fresh() ?? (await this.#reload())).get(path);
  }

  /** The routes when they need no reload, so the hot path can skip a wait (and its deadline) altogether. */
  fresh(): ReadonlyMap<string, WebhookRoute> | undefined {
    return this.#routes && this.clock() - this.#loadedAt < this.ttlMs ? this.#routes : undefined;
  }

  invalidate(): void {
    this.#routes = undefined;
  }

  #reload(): Promise<Map<string, WebhookRoute>> {
    this.#loading ??= this.connections
      .routes()
      .then((routes) => {
        this.#routes = routes;
        this.#loadedAt = this.clock();
        return routes;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
