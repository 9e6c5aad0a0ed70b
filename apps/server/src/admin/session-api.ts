import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  type AdminCredentials,
  type AdminGuardOptions,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  tooManyAttempts,
} from './auth.js';
import { clientAddress } from './client-address.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer } from './schemas.js';

const tags = ['session'];
const security: [] = [];
const login = createRoute(
  contractRoute(operations.login, {
    tags,
    security,
    summary: 'Log the editor in with the admin token: sets an HttpOnly, SameSite=Strict session cookie',
    answered: 'logged in',
    errors: {
      401: errorAnswer('wrong token'),
      413: errorAnswer('body over 4 KiB'),
      429: errorAnswer('too many wrong tokens from this address; see Retry-After'),
    },
  }),
);
const logout = createRoute(
  contractRoute(operations.logout, {
    tags,
    security,
    summary: 'Log out: clears the session cookie',
    answered: 'logged out',
  }),
);
const whoami = createRoute(
  contractRoute(operations.getSession, {
    tags,
    security,
    summary: 'Whether this browser is logged in',
    answered: 'session state',
  }),
);

/** Mounted before the auth guard: these are how a browser gets past it. */
export function sessionApi(
  credentials: AdminCredentials,
  secureCookie: boolean,
  guard: Pick<AdminGuardOptions, 'throttle' | 'trustedProxies'>,
) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(login, async (c) => {
      const address = clientAddress(c, guard.trustedProxies);
      const retryAfter = guard.throttle.retryAfter(address);
      if (retryAfter !== undefined) return tooManyAttempts(c, retryAfter);
      if (!credentials.tokenMatches(c.req.valid('json').token)) {
        guard.throttle.fail(address);
        return c.json({ error: 'unauthorized', message: 'wrong admin token' }, 401);
      }
      setCookie(c, SESSION_COOKIE, credentials.issueSession(), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secureCookie,
        path: '/',
        maxAge: SESSION_TTL_SECONDS,
      });
      return c.json({ authenticated: true as const }, 200);
    })
    .openapi(logout, async (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie, httpOnly: true, sameSite: 'Strict' });
      return c.json({ authenticated: false as const }, 200);
    })
    .openapi(whoami, async (c) => c.json({ authenticated: credentials.authenticated(c) }, 200));
}
