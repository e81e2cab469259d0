import { describe, expect, it } from 'vitest';
import type { RouteEvent } from '../src/lib/api-types.ts';
import { EMPTY_FILTER, type Filter } from '../src/lib/filter.ts';
import { compileMatcher, covers, prefixBits } from '../src/lib/route-match.ts';

const ev = (p: Partial<RouteEvent>): RouteEvent => ({
  kind: 'announce',
  ts: 0,
  router: '192.0.2.3',
  peer: '192.0.2.11',
  peer_asn: 65012,
  prefix: '10.1.0.0/16',
  path: [65012, 3356, [64500]],
  origin_asn: 64500,
  ...p,
});
const names = (id: string) => (id === '192.0.2.3' ? ['lab-r1', 'edge'] : []);
const m = (f: Partial<Filter>) => compileMatcher({ ...EMPTY_FILTER, ...f }, names);

describe('covers', () => {
  it('compares the leading bits, per family', () => {
    const b = (s: string) => prefixBits(s)!;
    expect(covers(b('10.0.0.0/8'), b('10.1.0.0/16'))).toBe(true);
    expect(covers(b('10.1.0.0/16'), b('10.0.0.0/8'))).toBe(false);
    expect(covers(b('0.0.0.0/0'), b('192.0.2.0/24'))).toBe(true);
    expect(covers(b('2001:db8::/32'), b('2001:db8:1::/48'))).toBe(true);
    expect(covers(b('2001:db8::/33'), b('2001:db8:8000::/48'))).toBe(false);
    expect(covers(b('::/0'), b('10.0.0.0/8'))).toBe(false);
  });
});

describe('compileMatcher', () => {
  it('matches everything with the empty filter', () => {
    expect(m({})(ev({}))).toBe(true);
  });
  it('applies prefix match modes', () => {
    expect(m({ prefixes: ['10.0.0.0/8'], match: 'more' })(ev({}))).toBe(true);
    expect(m({ prefixes: ['10.0.0.0/8'], match: 'exact' })(ev({}))).toBe(false);
    expect(m({ prefixes: ['10.1.0.0/16'], match: 'exact' })(ev({}))).toBe(true);
    expect(m({ prefixes: ['10.1.2.0/24'], match: 'less' })(ev({}))).toBe(true);
    expect(m({ prefixes: ['10.1.2.0/24'], match: 'more' })(ev({}))).toBe(false);
  });
  it('applies ASN, peer, router and kind conditions', () => {
    expect(m({ originAsns: [64500] })(ev({}))).toBe(true);
    expect(m({ originAsns: [64501] })(ev({}))).toBe(false);
    expect(m({ originAsns: [64501] })(ev({ kind: 'withdraw', path: undefined, origin_asn: undefined }))).toBe(
      true,
    );
    expect(m({ pathAsns: [3356] })(ev({}))).toBe(true);
    expect(m({ pathAsns: [64500] })(ev({}))).toBe(true);
    expect(m({ pathAsns: [1] })(ev({}))).toBe(false);
    expect(m({ peers: ['192.0.2.11'], peerAsns: [65012] })(ev({}))).toBe(true);
    expect(m({ peerAsns: [1] })(ev({}))).toBe(false);
    expect(m({ routers: ['lab-r1'] })(ev({}))).toBe(true);
    expect(m({ routers: ['edge'] })(ev({}))).toBe(true);
    expect(m({ routers: ['192.0.2.3'] })(ev({}))).toBe(true);
    expect(m({ routers: ['other'] })(ev({}))).toBe(false);
    expect(m({ kinds: ['withdraw', 'peer'] })(ev({}))).toBe(false);
  });
});
