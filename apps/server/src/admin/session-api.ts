import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
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
import { ErrorBody } from './schemas.js';

const login = createRoute({
  method: 'post',
  path: '/session',
  tags: ['session'],
  summary: 'Log the editor in with the admin token: sets an HttpOnly, SameSite=Strict session cookie',
  security: [],
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({ token: z.string().min(1) }) } } },
  },
  responses: {
    200: {
      description: 'logged in',
      content: { 'application/json': { schema: z.object({ authenticated: z.literal(true) }) } },
    },
    401: { description: 'wrong token', content: { 'application/json': { schema: ErrorBody } } },
    413: { description: 'body over 4 KiB', content: { 'application/json': { schema: ErrorBody } } },
    429: {
      description: 'too many wrong tokens from this address; see Retry-After',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

const logout = createRoute({
  method: 'delete',
  path: '/session',
  tags: ['session'],
  summary: 'Log out: clears the session cookie',
  security: [],
  responses: {
    200: {
      description: 'logged out',
      content: { 'application/json': { schema: z.object({ authenticated: z.literal(false) }) } },
    },
  },
});

const whoami = createRoute({
  method: 'get',
  path: '/session',
  tags: ['session'],
  summary: 'Whether this browser is logged in',
  security: [],
  responses: {
    200: {
      description: 'session state',
      content: { 'application/json': { schema: z.object({ authenticated: z.boolean() }) } },
    },
  },
});

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
