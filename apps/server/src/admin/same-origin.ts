import type { Context } from 'hono';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a cookie-authenticated request may change something: unsafe methods must say where they come from
 * (Origin, or Referer when a browser leaves Origin out) and that must be PUBLIC_URL's origin. SameSite=Strict
 * already keeps the cookie off cross-site requests; this also covers same-site neighbours (another app on a
 * sibling subdomain) and browsers that ignore SameSite. Bearer calls carry no ambient credential and skip it.
 */
export function originAllowed(c: Context, publicOrigin: string): boolean {
  if (SAFE_METHODS.has(c.req.method)) return true;
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === publicOrigin;
  const referer = c.req.header('referer');
  if (referer === undefined) return false;
  try {
    return new URL(referer).origin === publicOrigin;
  } catch {
    return false;
  }
}
