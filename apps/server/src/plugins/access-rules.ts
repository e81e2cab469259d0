/**
 * The access rules for public deployments (docs/reliability.md "Access control"), as pure functions of the
 * request's method, path, headers and query: which requests need the token, where the token is read from, and
 * whether a browser origin is allowed. security.ts applies them in hooks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Load balancers probe these without credentials. */
const HEALTH_PATHS = new Set(['/api/health', '/api/health/ready']);
/** Paths that belong to an API even when no route matches (so a wrong guess is not mistaken for the app). */
const API_PREFIXES = ['/api/', '/v1/'];

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function isApiPath(path: string): boolean {
  return path === '/api' || path === '/metrics' || API_PREFIXES.some((p) => path.startsWith(p));
}

/**
 * Whether a request needs the token: everything except the health checks and the web app's own files (the
 * static route, or no route outside the API paths: the app shell), so the page can load and then present the
 * token it was given. A route added later outside those is protected by default.
 */
export function needsToken(path: string, routeUrl: string | undefined): boolean {
  if (HEALTH_PATHS.has(path)) return false;
  if (isApiPath(path)) return true;
  return !(routeUrl === undefined || routeUrl === '/*');
}

/** The token a request presents: `Authorization: Bearer …`, else the `token` query parameter (browsers' WebSocket). */
export function presentedToken(authorization: string | undefined, query: unknown): string | null {
  const m = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (m) return m[1];
  const q = (query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' && q !== '' ? q : null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * A check of presented tokens against `expected`, whose digest it computes once. Constant-time comparison (over
 * digests, so lengths do not leak either).
 */
export function tokenChecker(expected: string): (presented: string | null) => boolean {
  const want = digest(expected);
  return (presented) => presented !== null && timingSafeEqual(digest(presented), want);
}

/** One check of `presented` against `expected` (see tokenChecker). */
export function tokenMatches(presented: string | null, expected: string): boolean {
  return tokenChecker(expected)(presented);
}

/** An origin in the form browsers send (`scheme://host[:port]`, lower case, no trailing slash), or null. */
export function canonicalOrigin(text: string): string | null {
  try {
    const u = new URL(text.trim());
    return u.origin === 'null' ? null : u.origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Whether a request's Origin header passes: always when no list is configured; requests without an Origin
 * (not from a browser page) pass too, since a list protects browsers' users, not the server. `allowed` holds
 * canonical origins (canonicalOrigin's results, which it maps to themselves), so a header equal to one of them
 * passes without being parsed; any other is compared in canonical form.
 */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (allowed.size === 0 || origin === undefined || allowed.has(origin)) return true;
  const o = canonicalOrigin(origin);
  return o !== null && allowed.has(o);
}
