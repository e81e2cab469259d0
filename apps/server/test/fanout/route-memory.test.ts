import { describe, expect, it } from 'vitest';
import { RouteMemory } from '../../src/fanout/route-memory.ts';
import { keyOf } from '../../src/prefix/prefix-key.ts';

const k = (p: string) => keyOf(p)!;

describe('RouteMemory', () => {
  it('remembers per peer, prefix and path id; take removes; dropPeer forgets a peer', () => {
    const m = new RouteMemory(3);
    m.remember('p1', k('10.0.0.0/8'), null, { origin: 1, hops: [1] });
    m.remember('p1', k('10.0.0.0/8'), 2, { origin: 2, hops: [2] });
    m.remember('p2', k('10.0.0.0/8'), null, { origin: 3, hops: [3] });
    m.remember('p2', k('10.0.0.0/8'), null, { origin: 4, hops: [4] }); // replaces, no new entry
    expect(m.size).toBe(3);
    m.remember('p3', k('10.1.0.0/16'), null, { origin: 5, hops: [5] });
    expect(m.skipped).toBe(1); // full
    expect(m.take('p1', k('10.0.0.0/8'), 2)).toEqual({ origin: 2, hops: [2] });
    expect(m.take('p1', k('10.0.0.0/8'), 2)).toBeUndefined();
    expect(m.take('p2', k('10.0.0.0/8'), null)?.origin).toBe(4);
    m.forget('p1', k('10.0.0.0/8'), null);
    expect(m.size).toBe(0);
    m.remember('p1', k('10.2.0.0/16'), null, { origin: 1, hops: [] });
    m.remember('p1', k('2001:db8::/32'), null, { origin: 1, hops: [] });
    expect(m.peek('p1', k('2001:db8::/32'), 0)?.origin).toBe(1); // path id 0 is no path id
    m.dropPeer('p1');
    expect(m.size).toBe(0);
  });
});
