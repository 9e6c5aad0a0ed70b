import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'sy_session';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The admin token is the only credential. Sessions for the editor are stateless: `<expiry>.<HMAC(token, expiry)>`,
 * so changing SWITCHYARD_ADMIN_TOKEN logs every browser out and no session table is needed.
 */
export class AdminCredentials {
  readonly #tokenDigest: Buffer;
  readonly #token: string;

  constructor(
    token: string,
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.#token = token;
    this.#tokenDigest = digest(token);
  }

  tokenMatches(candidate: string): boolean {
    // Comparing digests keeps the check constant-time whatever the length.
    return timingSafeEqual(digest(candidate), this.#tokenDigest);
  }

  issueSession(): string {
    const expires = this.clock() + SESSION_TTL_SECONDS;
    return `${expires}.${this.#sign(String(expires))}`;
  }

  sessionValid(value: string | undefined): boolean {
    if (!value) return false;
    const [expires, mac] = value.split('.');
    if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) < this.clock()) return false;
    const expected = Buffer.from(this.#sign(expires));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  authenticated(c: Context): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (match) return this.tokenMatches(match[1]!.trim());
    return this.sessionValid(getCookie(c, SESSION_COOKIE));
  }

  #sign(value: string): string {
    return createHmac('sha256', this.#token).update(`session:${value}`).digest('base64url');
  }
}

/** Bearer token or the editor's session cookie; anything else is 401. */
export function adminAuth(credentials: AdminCredentials): MiddlewareHandler {
  return async function adminAuthMiddleware(c, next) {
    if (!credentials.authenticated(c)) {
      return c.json(
        { error: 'unauthorized', message: 'log in, or send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>' },
        401,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
