import type { IncomingMessage } from 'node:http';

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

/**
 * Reads a request body once, counting the bytes actually received: Content-Length may be absent
 * (chunked) or lie, so the cap is enforced on the stream and reading stops as soon as it is passed.
 * Under Node the socket's own stream is read: building a WHATWG stream per delivery costs more than the insert.
 */
export async function readCappedBody(
  request: Request,
  incoming?: IncomingMessage,
  limit = MAX_WEBHOOK_BYTES,
): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) return { ok: false, reason: 'too_large' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const source: AsyncIterable<Uint8Array> | null = incoming ?? request.body;
  if (!source) return { ok: true, body: Buffer.alloc(0) };
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) {
      // Returning from for-await destroys the stream, so an oversized upload is not read to its end.
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(chunk);
  }
  return {
    ok: true,
    body:
      chunks.length === 1
        ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength)
        : Buffer.concat(chunks, size),
  };
}
