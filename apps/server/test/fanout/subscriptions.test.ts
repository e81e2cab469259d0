import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Filter, parseFilter } from '../../src/fanout/filter.ts';
import { SubscriptionIndex } from '../../src/fanout/subscriptions.ts';
import { keyOf } from '../../src/prefix/prefix-key.ts';
import { matchesSlow, type RouteFacts } from '../support/reference-matcher.ts';

// Small value spaces so that random filters and events overlap often.
const asn = fc.constantFrom(1, 2, 3, 64500, 4200000001);
const addr = fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:db8::1');
const router = fc.constantFrom('10.0.0.1', '10.0.0.2');
const routerName = fc.constantFrom(null, 'r1', 'r2');
const prefix = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 6, max: 26 }))
    .map(([a, b, len]) => `10.${a * 64}.${b * 64}.0/${len}`),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 16, max: 64 }))
    .map(([a, len]) => `2001:db8:${a}::/${len}`),
);

const optList = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(fc.array(arb, { minLength: 1, maxLength: 3 }), { nil: undefined });
const rawFilter = fc.record(
  {
    prefixes: optList(fc.record({ prefix, match: fc.constantFrom('exact', 'more', 'less') })),
    origin_asns: optList(asn),
    path_asns: optList(asn),
    peer_asns: optList(asn),
    peers: optList(addr),
    routers: optList(fc.oneof(router, fc.constantFrom('r1', 'r2', 'g1'))),
    kinds: optList(fc.constantFrom('announce', 'withdraw', 'peer')),
  },
  { requiredKeys: [] },
);
const hop = fc.oneof(asn, fc.array(asn, { minLength: 1, maxLength: 2 }));
const event = fc
  .record({
    kind: fc.constantFrom<'announce' | 'withdraw'>('announce', 'withdraw'),
    prefix,
    path: fc.array(hop, { minLength: 1, maxLength: 4 }),
    peerAsn: asn,
    peer: addr,
    router,
    routerName,
    routerGroup: fc.constantFrom(null, 'g1'),
  })
  .map((e): RouteFacts => {
    if (e.kind === 'withdraw') return { ...e, path: null, originAsn: null };
    const last = e.path[e.path.length - 1];
    const originAsn = typeof last === 'number' ? last : last.length === 1 ? last[0] : null;
    return { ...e, originAsn };
  });

const canon = (raw: unknown): Filter => {
  const r = parseFilter(raw);
  if (!r.ok) throw new Error(r.message);
  return r.filter;
};

describe('SubscriptionIndex', () => {
  it('matches exactly the clients the reference matcher says, for random filters and events', () => {
    fc.assert(
      fc.property(
        fc.array(rawFilter, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), rawFilter), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(event, { minLength: 1, maxLength: 25 }),
        (filters, replacements, removals, events) => {
          const index = new SubscriptionIndex<number>();
          const current = new Map<number, Filter>();
          filters.forEach((f, i) => {
            current.set(i, canon(f));
            index.add(i, current.get(i)!);
          });
          for (const [who, f] of replacements) {
            const id = who % filters.length;
            current.set(id, canon(f));
            index.add(id, current.get(id)!);
          }
          for (const who of removals) {
            const id = who % filters.length;
            current.delete(id);
            index.removeClient(id);
          }
          expect(index.size).toBe(current.size);
          for (const [n, e] of events.entries()) {
            const got: number[] = [];
            // Both forms of the prefix: text (parsed by the index) and a ready key (the scanned fast path).
            index.match({ ...e, key: n % 2 === 0 ? null : keyOf(e.prefix) }, got);
            const want = [...current].filter(([, f]) => matchesSlow(f, e)).map(([id]) => id);
            expect(got.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
            if (e.kind === 'announce') {
              // Same walk, with the watchers: origin/path filters that would want this route's withdrawal.
              const got2: number[] = [];
              const watchers: number[] = [];
              index.match({ ...e, key: null }, got2, watchers);
              expect(got2.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
              const isWatcher = (f: Filter) =>
                (f.origin_asns !== undefined || f.path_asns !== undefined) &&
                (f.kinds === undefined || f.kinds.includes('withdraw'));
              const wantWatchers = [...current]
                .filter(([, f]) => isWatcher(f) && matchesSlow(f, { ...e, kind: 'withdraw' }))
                .map(([id]) => id);
              expect(watchers.sort((a, b) => a - b)).toEqual(wantWatchers.sort((a, b) => a - b));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports a client once even when several of its prefixes match', () => {
    const index = new SubscriptionIndex<string>();
    index.add(
      'c',
      canon({ prefixes: ['10.0.0.0/8', '10.1.0.0/16', { prefix: '10.1.2.0/24', match: 'exact' }] }),
    );
    const out: string[] = [];
    index.match(
      {
        kind: 'announce',
        key: null,
        prefix: '10.1.2.0/24',
        originAsn: 1,
        path: [1],
        peerAsn: 1,
        peer: '192.0.2.1',
        router: 'r',
        routerName: null,
        routerGroup: null,
      },
      out,
    );
    expect(out).toEqual(['c']);
  });
});
