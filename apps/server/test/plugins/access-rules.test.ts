import { describe, expect, it } from 'vitest';
import {
  canonicalOrigin,
  needsToken,
  originAllowed,
  presentedToken,
  tokenMatches,
} from '../../src/plugins/access-rules.ts';
import { ConnectionsPerAddress } from '../../src/plugins/connections-per-address.ts';

describe('access rules', () => {
  it('protect the API, metrics and any non-static route; not health checks or the app', () => {
    expect(needsToken('/api/peers', '/api/peers')).toBe(true);
    expect(needsToken('/api/ws', '/api/ws')).toBe(true);
    expect(needsToken('/v1/ws/', '/v1/ws/')).toBe(true);
    expect(needsToken('/metrics', '/metrics')).toBe(true);
    expect(needsToken('/api/unknown', undefined)).toBe(true);
    expect(needsToken('/some-new-route', '/some-new-route')).toBe(true);
    expect(needsToken('/api/health', '/api/health')).toBe(false);
    expect(needsToken('/api/health/ready', '/api/health/ready')).toBe(false);
    expect(needsToken('/assets/app.js', '/*')).toBe(false);
    expect(needsToken('/peers/192.0.2.1', undefined)).toBe(false);
  });

  it('read the token from a Bearer header, else the query, and compare it in constant time', () => {
    expect(presentedToken('Bearer abc', {})).toBe('abc');
    expect(presentedToken('bearer  abc ', {})).toBe('abc');
    expect(presentedToken('Basic abc', { token: 'q' })).toBe('q');
    expect(presentedToken(undefined, { token: ['a', 'b'] })).toBeNull();
    expect(presentedToken(undefined, undefined)).toBeNull();
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(null, 'abc')).toBe(false);
  });

  it('compare origins in canonical form, letting non-browser requests through', () => {
    expect(canonicalOrigin('HTTPS://BGP.Example.net:443/')).toBe('https://bgp.example.net');
    expect(canonicalOrigin('bgp.example.net')).toBeNull();
    const allowed = new Set(['https://bgp.example.net']);
    expect(originAllowed('https://bgp.example.net', allowed)).toBe(true);
    expect(originAllowed('https://bgp.example.net.evil.example', allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
    expect(originAllowed(undefined, allowed)).toBe(true);
    expect(originAllowed('https://anything.example', new Set())).toBe(true);
  });

  it('count connections per address up to the limit; 0 is no limit', () => {
    const c = new ConnectionsPerAddress(2);
    expect([c.tryOpen('a'), c.tryOpen('a'), c.tryOpen('a'), c.tryOpen('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    c.closed('a');
    expect(c.count('a')).toBe(1);
    expect(c.tryOpen('a')).toBe(true);
    const off = new ConnectionsPerAddress(0);
    for (let i = 0; i < 1000; i++) expect(off.tryOpen('a')).toBe(true);
  });
});
