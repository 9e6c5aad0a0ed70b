import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from '../logger.js';
import type { Metrics } from '../operations/metrics.js';
import { bodyOf, type IngestDeps, ingestDelivery, statusOf } from './ingest.js';
import { type Refusal, refusalOf } from './refusal.js';

/** `POST /api/<path>`: Stripe's deliveries. One log line per delivery, never a secret or a payload. */
export function webhookApp(deps: IngestDeps, log: Logger, metrics?: Metrics, onRefused?: (refusal: Refusal) => void) {
  // Bindings are absent under app.request() in tests; the Request's own stream is used then.
  const app = new Hono<{ Bindings: Partial<HttpBindings> }>();
  app.post('/*', async (c) => {
    const started = performance.now();
    const path = c.req.path.slice('/api'.length) || '/';
    const outcome = await ingestDelivery(deps, path, c.req.raw, c.env?.incoming);
    const status = statusOf(outcome);
    const seconds = (performance.now() - started) / 1000;
    metrics?.deliveries.inc({ outcome: outcome.kind });
    metrics?.ingestSeconds.observe(seconds);
    // Buffered: the answer never waits for it.
    if (onRefused && status !== 200) {
      const refusal = refusalOf(outcome);
      if (refusal) onRefused(refusal);
    }
    const line = {
      msg: 'webhook delivery',
      path,
      environment: 'environment' in outcome ? outcome.environment : undefined,
      eventId: 'eventId' in outcome ? outcome.eventId : undefined,
      type: 'type' in outcome ? outcome.type : undefined,
      outcome: outcome.kind,
      reason: 'reason' in outcome ? outcome.reason : undefined,
      status,
      durationMs: Math.round(seconds * 100_000) / 100,
    };
    if (outcome.kind === 'unavailable') log.error({ ...line, err: errorSummary(outcome.error) });
    else if (outcome.kind === 'secret_unreadable')
      log.error({
        ...line,
        reason:
          "the stored signing secret cannot be decrypted: this process's SWITCHYARD_MASTER_KEY is not the one that sealed it, or the row is corrupt; set the key every replica shares, or save the signing secret again",
      });
    else if (status >= 400) log.warn(line);
    else log.info(line);
    return c.json(bodyOf(outcome), status);
  });
  return app;
}

function errorSummary(error: unknown): { message: string; code?: string } {
  const e = error as { message?: string; code?: string };
  return { message: String(e?.message ?? error), ...(e?.code ? { code: e.code } : {}) };
}
