import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { failure } from './schemas.js';

/** A login body is `{ "token": "…" }`: a few hundred bytes. */
export const SESSION_BODY_LIMIT = 4 * 1024;
/** Workflow documents and imports are the largest admin bodies; they stay far below this. */
export const ADMIN_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Refuses a body over `maxBytes` with 413 before the handler parses it. Hono's bodyLimit trusts a declared
 * Content-Length without reading (Node's parser then never delivers more than that), and counts the bytes of a
 * chunked body as they stream in, stopping at the cap; @hono/node-server then drains at most a little of the rest
 * and closes the connection, so nothing near a huge upload is ever read or buffered.
 */
export function adminBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(failure('payload_too_large', `request body exceeds ${formatBytes(maxBytes)}`), 413, {
        Connection: 'close',
      }),
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
