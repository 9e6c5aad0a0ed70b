import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { clientAddress } from './client-address.js';
import type { LoginThrottle } from './login-throttle.js';
import { originAllowed } from './same-origin.js';
import { failure } from './schemas.js';

export const SESSION_COOKIE = 'sy_session';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** How a request proved itself, or why it did not: only a wrong token counts against the address. */
export type AuthCheck = { ok: true; via: 'bearer' | 'cookie' } | { ok: false; wrongToken: boolean };

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

  check(c: Context): AuthCheck {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (match)
      return this.tokenMatches(match[1]!.trim()) ? { ok: true, via: 'bearer' } : { ok: false, wrongToken: true };
    // A stale or forged cookie is not a guess at the token: a browser left logged out must not lock its address.
    return this.sessionValid(getCookie(c, SESSION_COOKIE))
      ? { ok: true, via: 'cookie' }
      : { ok: false, wrongToken: false };
  }

  authenticated(c: Context): boolean {
    return this.check(c).ok;
  }

  #sign(value: string): string {
    return createHmac('sha256', this.#token).update(`session:${value}`).digest('base64url');
  }
}

export interface AdminGuardOptions {
  throttle: LoginThrottle;
  /** PUBLIC_URL's origin: where cookie-authenticated changes must come from. */
  publicOrigin: string;
  /** TRUST_PROXY: how many proxies in front of the server may be believed about the client address. */
  trustedProxies: number;
}

/**
 * Bearer token or the editor's session cookie; anything else is 401. Wrong tokens count against the client's
 * address (429 past the limit, the right token included, so a blocked address learns nothing); a cookie may only
 * change things from PUBLIC_URL's origin (403): bearer calls carry no ambient credential a page could borrow.
 */
export function adminAuth(credentials: AdminCredentials, options: AdminGuardOptions): MiddlewareHandler {
  return async function adminAuthMiddleware(c, next) {
    const auth = credentials.check(c);
    if (auth.ok && auth.via === 'cookie') {
      if (!originAllowed(c, options.publicOrigin))
        return c.json(
          failure(
            'forbidden_origin',
            `a logged-in browser may change things only from ${options.publicOrigin} (Origin or Referer header)`,
          ),
          403,
        );
      // A valid session is no guess (it is an HMAC), so a browser logged in before an attack from its address keeps working.
      return next();
    }
    const address = clientAddress(c, options.trustedProxies);
    const retryAfter = options.throttle.retryAfter(address);
    if (retryAfter !== undefined) return tooManyAttempts(c, retryAfter);
    if (!auth.ok) {
      if (auth.wrongToken) options.throttle.fail(address);
      return c.json(
        { error: 'unauthorized', message: 'log in, or send Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>' },
        401,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    await next();
  };
}

export function tooManyAttempts(c: Context, retryAfterSeconds: number) {
  return c.json(
    failure('too_many_attempts', `too many wrong admin tokens from this address; try again in ${retryAfterSeconds} s`),
    429,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
