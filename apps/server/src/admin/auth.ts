import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Bearer-token guard for the admin API. Comparing digests keeps the check constant-time whatever the length. */
export function adminAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async function adminAuthMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      return c.json({ error: 'unauthorized', message: 'send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>' }, 401, { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
