import { describe, expect, it } from 'vitest';
import { parseFilter, wantsPeerEvents } from '../../src/fanout/filter.ts';
import { matchesSlow, type RouteFacts } from '../support/reference-matcher.ts';

const ok = (raw: unknown) => {
  const r = parseFilter(raw);
  if (!r.ok) throw new Error(r.message);
  return r.filter;
};
const bad = (raw: unknown) => {
  const r = parseFilter(raw);
  if (r.ok) throw new Error('expected an error');
  return r.message;
};

const route: RouteFacts = {
  kind: 'announce',
  prefix: '10.1.2.0/24',
  originAsn: 64500,
  path: [4200000001, 3356, [64500]],
  peerAsn: 4200000001,
  peer: '192.0.2.11',
  router: '192.0.2.3',
  routerName: 'lab-r1',
  routerGroup: 'edge',
};

describe('parseFilter', () => {
  it('normalises: canonical prefixes, sorted unique ASNs, canonical addresses, default match', () => {
    expect(
      ok({
        prefixes: [{ prefix: '10.1.2.3/8' }, { prefix: '2001:DB8:0::/32', match: 'less' }, '10.0.0.0/8'],
        origin_asns: [65000, 64500, 65000],
        peers: ['2001:db8:0:0::11', '192.0.2.11'],
        routers: ['192.0.2.3', 'lab-r1'],
        kinds: ['withdraw', 'announce'],
        path_asns: [],
        unknown_field: true,
      }),
    ).toEqual({
      prefixes: [
        { prefix: '10.0.0.0/8', match: 'more' },
        { prefix: '2001:db8::/32', match: 'less' },
      ],
      origin_asns: [64500, 65000],
      peers: ['192.0.2.11', '2001:db8::11'],
      routers: ['192.0.2.3', 'lab-r1'],
      kinds: ['announce', 'withdraw'],
    });
    expect(ok({})).toEqual({});
    expect(ok(undefined)).toEqual({});
  });

  it('explains what is wrong', () => {
    expect(bad({ prefixes: [{ prefix: '10.0.0.0/8' }, {}, { prefix: '10.0.0.0/33' }] })).toBe(
      'prefixes[1].prefix: expected a string, got nothing',
    );
    expect(bad({ prefixes: ['10.0.0.0/8', '1.2.3.4', '10.0.0.0/33'] })).toBe(
      'prefixes[1]: "1.2.3.4" is not a valid prefix',
    );
    expect(bad({ prefixes: [{ prefix: '10.0.0.0/8', match: 'most' }] })).toContain('prefixes[0].match');
    expect(bad({ origin_asns: [1, -1] })).toBe('origin_asns[1]: -1 is not an AS number (0..4294967295)');
    expect(bad({ origin_asns: [4294967296] })).toContain('origin_asns[0]');
    expect(bad({ peer_asns: '65000' })).toBe('peer_asns: expected an array, got string "65000"');
    expect(bad({ peers: ['bogus'] })).toBe('peers[0]: "bogus" is not an IP address');
    expect(bad({ kinds: ['announce', 'update'] })).toContain('kinds[1]');
    expect(bad({ routers: [''] })).toContain('routers[0]');
    expect(bad([1])).toBe('filter: expected an object, got an array');
    expect(bad({ prefixes: Array.from({ length: 10_001 }, () => '10.0.0.0/8') })).toContain('at most 10000');
  });

  it('accepts 10,000 prefixes', () => {
    const prefixes = Array.from({ length: 10_000 }, (_, i) => ({ prefix: `10.${i >> 8}.${i & 255}.0/24` }));
    expect(ok({ prefixes }).prefixes).toHaveLength(10_000);
  });
});

describe('matchesSlow', () => {
  it('combines fields with AND and values with OR', () => {
    expect(matchesSlow({}, route)).toBe(true);
    expect(matchesSlow(ok({ origin_asns: [1, 64500] }), route)).toBe(true);
    expect(matchesSlow(ok({ origin_asns: [1, 64500], peer_asns: [1] }), route)).toBe(false);
    expect(matchesSlow(ok({ path_asns: [3356] }), route)).toBe(true);
    expect(matchesSlow(ok({ path_asns: [64500] }), route)).toBe(true); // inside an AS_SET
    expect(matchesSlow(ok({ routers: ['lab-r1'] }), route)).toBe(true);
    expect(matchesSlow(ok({ routers: ['edge'] }), route)).toBe(true);
    expect(matchesSlow(ok({ routers: ['core'] }), route)).toBe(false);
    expect(matchesSlow(ok({ kinds: ['withdraw'] }), route)).toBe(false);
    expect(matchesSlow(ok({ prefixes: [{ prefix: '10.1.0.0/16' }] }), route)).toBe(true);
    expect(matchesSlow(ok({ prefixes: [{ prefix: '10.1.0.0/16', match: 'exact' }] }), route)).toBe(false);
    expect(matchesSlow(ok({ prefixes: [{ prefix: '10.1.2.128/25', match: 'less' }] }), route)).toBe(true);
    expect(matchesSlow(ok({ origin_asns: [64500] }), { ...route, kind: 'withdraw', originAsn: null })).toBe(
      false,
    );
  });

  it('gates peer events on kinds only', () => {
    expect(wantsPeerEvents(null)).toBe(true);
    expect(wantsPeerEvents(ok({ origin_asns: [1] }))).toBe(true);
    expect(wantsPeerEvents(ok({ kinds: ['announce'] }))).toBe(false);
    expect(wantsPeerEvents(ok({ kinds: ['peer'] }))).toBe(true);
  });
});
