import { parsePrefix } from '@bmpwatch/bmp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonLength, covers, keyOf, PrefixKey, parseKey } from '../../src/prefix/prefix-key.ts';
import { type MatchMode, PrefixTrie } from '../../src/prefix/prefix-trie.ts';

/** Slow reference: prefixes as bit strings. */
function bits(text: string): string {
  const [addr, len] = text.split('/');
  let s = '';
  if (addr.includes(':')) {
    const k = keyOf(text)!;
    for (const w of [k.a, k.b, k.c, k.d]) s += (w >>> 0).toString(2).padStart(32, '0');
  } else for (const o of addr.split('.')) s += Number(o).toString(2).padStart(8, '0');
  return s.slice(0, Number(len));
}

function slowMatch(sub: string, mode: MatchMode, route: string): boolean {
  if (sub.includes(':') !== route.includes(':')) return false;
  const s = bits(sub);
  const r = bits(route);
  if (mode === 'exact') return s === r;
  if (mode === 'more') return r.startsWith(s);
  return s.startsWith(r);
}

const v4Prefix = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 }))
  // A small address space so that random prefixes nest and collide often.
  .map(([a, b, len]) => keyText(4, [((10 + a) << 24) | (b << 16)], len));
const v6Prefix = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 128 }),
  )
  .map(([a, b, len]) => keyText(6, [0x20010db8, (a << 16) | b, b * 7919, a], len));
const prefix = fc.oneof(v4Prefix, v6Prefix);
const mode = fc.constantFrom<MatchMode>('exact', 'more', 'less');

function keyText(family: 4 | 6, words: number[], len: number): string {
  const k = new PrefixKey();
  k.family = family;
  [k.a, k.b, k.c, k.d] = [words[0] | 0, (words[1] ?? 0) | 0, (words[2] ?? 0) | 0, (words[3] ?? 0) | 0];
  k.truncate(len);
  const bytes = [k.a, k.b, k.c, k.d].flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
  if (family === 4) return `${bytes.slice(0, 4).join('.')}/${len}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return `${groups.join(':')}/${len}`;
}

describe('prefix keys', () => {
  it('parses IPv4 strictly and clears host bits', () => {
    const k = new PrefixKey();
    expect(parseKey('10.1.2.3/8', k)).toBe(true);
    expect([k.family, k.a >>> 0, k.len]).toEqual([4, 0x0a000000, 8]);
    for (const bad of [
      '10.1.2/8',
      '10.1.2.3',
      '10.1.2.3/33',
      '256.1.1.1/8',
      '01.1.1.1/8',
      '1.1.1.1/',
      'x/1',
      '1.1.1.1/08',
    ])
      expect(parseKey(bad, k), bad).toBe(false);
    expect(parseKey('0.0.0.0/0', k)).toBe(true);
    expect(parseKey('2001:db8::1/32', k)).toBe(true);
    expect([k.family, k.a >>> 0, k.b, k.len]).toEqual([6, 0x20010db8, 0, 32]);
    expect(parseKey('2001:db8::/129', k)).toBe(false);
  });

  it('measures common length and cover', () => {
    const a = keyOf('10.0.0.0/8')!;
    const b = keyOf('10.128.0.0/9')!;
    expect(commonLength(a, b)).toBe(8);
    expect(covers(a, b)).toBe(true);
    expect(covers(b, a)).toBe(false);
    expect(covers(keyOf('::/0')!, keyOf('2001:db8::/32')!)).toBe(true);
    expect(covers(keyOf('0.0.0.0/0')!, keyOf('2001:db8::/32')!)).toBe(false);
    expect(commonLength(keyOf('2001:db8::/64')!, keyOf('2001:db8:0:0:8000::/65')!)).toBe(64);
  });
});

describe('PrefixTrie', () => {
  it('matches exact, more- and less-specific subscriptions', () => {
    const t = new PrefixTrie<string>();
    t.insert(keyOf('10.0.0.0/8')!, 'more', 'A');
    t.insert(keyOf('10.1.0.0/16')!, 'exact', 'B');
    t.insert(keyOf('10.1.2.0/24')!, 'less', 'C');
    t.insert(keyOf('2001:db8::/32')!, 'more', 'D');
    const m = (p: string) => {
      const out: string[] = [];
      t.match(keyOf(p)!, out);
      return out.sort();
    };
    expect(m('10.1.2.0/24')).toEqual(['A', 'C']);
    expect(m('10.1.0.0/16')).toEqual(['A', 'B', 'C']);
    expect(m('10.0.0.0/8')).toEqual(['A', 'C']);
    expect(m('0.0.0.0/0')).toEqual(['C']);
    expect(m('11.0.0.0/8')).toEqual([]);
    expect(m('2001:db8:1::/48')).toEqual(['D']);
    expect(m('10.1.2.128/25')).toEqual(['A']);
  });

  it('agrees with a bit-string reference on random inserts, removals and lookups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(prefix, mode, fc.integer({ min: 0, max: 9 })), { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(prefix, { minLength: 1, maxLength: 30 }),
        (subs, removals, routes) => {
          const t = new PrefixTrie<number>();
          const live = subs.map(([p, md, v]) => ({ p, md, v, on: true }));
          for (const s of live) t.insert(keyOf(s.p)!, s.md, s.v);
          for (const r of removals) {
            const s = live[r % Math.max(1, live.length)];
            if (!s?.on) continue;
            expect(t.remove(keyOf(s.p)!, s.md, s.v)).toBe(true);
            s.on = false;
          }
          expect(t.size).toBe(live.filter((s) => s.on).length);
          for (const route of routes) {
            const got: number[] = [];
            t.match(keyOf(route)!, got);
            const want = live.filter((s) => s.on && slowMatch(s.p, s.md, route)).map((s) => s.v);
            expect(got.sort()).toEqual(want.sort());
          }
          // Removing everything leaves an empty trie (pruning works).
          for (const s of live) if (s.on) t.remove(keyOf(s.p)!, s.md, s.v);
          expect(t.size).toBe(0);
          expect(t.nodeCount()).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('says false when removing what is not there', () => {
    const t = new PrefixTrie<number>();
    t.insert(keyOf('10.0.0.0/8')!, 'more', 1);
    expect(t.remove(keyOf('10.0.0.0/8')!, 'less', 1)).toBe(false);
    expect(t.remove(keyOf('10.0.0.0/9')!, 'more', 1)).toBe(false);
    expect(t.remove(keyOf('10.0.0.0/8')!, 'more', 2)).toBe(false);
    expect(t.remove(keyOf('10.0.0.0/8')!, 'more', 1)).toBe(true);
  });
});

describe('parseKey for IPv6', () => {
  const viaBytes = (text: string) => {
    const p = parsePrefix(text);
    if (p === null || p.family !== 6) return null;
    return [...p.bytes].join(',') + '/' + p.length;
  };
  const viaKey = (text: string) => {
    const k = new PrefixKey();
    if (!parseKey(text, k) || k.family !== 6) return null;
    const b = [k.a, k.b, k.c, k.d].flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
    return b.join(',') + '/' + k.len;
  };

  it('agrees with the decoder parser on valid and invalid text', () => {
    const samples = [
      '::/0',
      '::1/128',
      '2001:db8::/32',
      '2001:DB8:0:0:1::/80',
      '1:2:3:4:5:6:7:8/128',
      '1::8/64',
      '::ffff:192.0.2.1/128',
      '2001:db8::1:/64',
      ':::/8',
      '1:::2/8',
      '12345::/16',
      '1:2:3:4:5:6:7:8:9/128',
      '1::2::3/64',
      '2001:db8::/129',
      '2001:db8::/',
      '2001:db8::/01',
      'g::/8',
      ':1::/8',
      '1:2:3:4:5:6:7::/128',
      '::1:2:3:4:5:6:7/128',
      '1::2:3:4:5:6:7:8/128',
    ];
    for (const s of samples) expect(viaKey(s), s).toBe(viaBytes(s));
  });

  it('agrees with the decoder parser on random text', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEF:::::./'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), fc.integer({ min: 0, max: 130 }), (chars, len) => {
        const s = `${chars.join('')}/${len}`;
        if (!s.includes(':')) return;
        expect(viaKey(s), s).toBe(viaBytes(s));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 128 }),
        (words, len) => {
          const full = `${words.map((x) => x.toString(16)).join(':')}/${len}`;
          expect(viaKey(full)).toBe(viaBytes(full));
          const zeroed = words.map((x, i) => (i >= 2 && i < 5 ? 0 : x));
          const compressed = `${zeroed
            .slice(0, 2)
            .map((x) => x.toString(16))
            .join(':')}::${zeroed
            .slice(5)
            .map((x) => x.toString(16))
            .join(':')}/${len}`;
          expect(viaKey(compressed), compressed).toBe(viaBytes(compressed));
        },
      ),
    );
  });
});
