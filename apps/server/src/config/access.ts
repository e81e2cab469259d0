/**
 * The access-control section of the configuration: token, allowed origins and per-address limits (which
 * depend on whether the HTTP server is reachable from elsewhere).
 */
import { isIP } from 'node:net';
import { canonicalOrigin } from '../plugins/access-rules.ts';
import { configError } from './errors.ts';
import type { OptionValues } from './values.ts';

export interface AccessConfig {
  /** null: no token needed. */
  authToken: string | null;
  /** Canonical origins (scheme://host[:port]); empty: any. */
  allowedOrigins: string[];
  /** 0: no limit. */
  maxClientsPerIp: number;
  /** Requests per minute per client address; 0: no limit. */
  rateLimitPerMinute: number;
}

/** Whether binding `host` leaves the server reachable from this machine only. */
function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function buildAccess(v: OptionValues): AccessConfig {
  // Per-address limits guard a server others can reach; on a loopback address every client is the user
  // (or a proxy in front, which must do the limiting itself), so they are off unless set explicitly.
  const perAddressLimit = (flag: string, publicDefault: number): number =>
    v.has(flag) ? v.num(flag, true) : isLoopbackHost(v.str('host')!) ? 0 : publicDefault;

  const authToken = v.str('auth-token');
  if (authToken !== null && (authToken.length < 16 || /\s/.test(authToken)))
    throw configError(`${v.where('auth-token')}: a token needs 16 or more characters and no spaces`);
  const allowedOrigins = v.list('allowed-origins').map((o) => {
    const canon = canonicalOrigin(o);
    if (canon === null || !/^https?:\/\//.test(canon))
      throw configError(
        `${v.where('allowed-origins')}: ${JSON.stringify(o)} is not an origin like https://host[:port]`,
      );
    return canon;
  });
  return {
    authToken,
    allowedOrigins,
    maxClientsPerIp: perAddressLimit('max-clients-per-ip', 100),
    rateLimitPerMinute: perAddressLimit('rate-limit', 1200),
  };
}
