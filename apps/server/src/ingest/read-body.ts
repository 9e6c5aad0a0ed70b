export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

/**
 * Reads a request body once, counting the bytes actually received: Content-Length may be absent
 * (chunked) or lie, so the cap is enforced on the stream and reading stops as soon as it is passed.
 */
export async function readCappedBody(request: Request, limit = MAX_WEBHOOK_BYTES): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) return { ok: false, reason: 'too_large' };
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  return { ok: true, body: chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, size) };
}
