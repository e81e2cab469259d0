import type { PathHop } from '@bmpwatch/bmp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PATTERN_HOPS,
  matchesPath,
  type PathPattern,
  type PatternHop,
  parsePathPattern,
} from '../../src/rislive/path-pattern.ts';

function pattern(text: unknown): PathPattern {
  const p = parsePathPattern(text);
  if (!p.ok) throw new Error(p.message);
  return p.pattern;
}

const matches = (text: unknown, path: PathHop[]) => matchesPath(pattern(text), path);

/** `items` behind a proxy that counts reads of its elements, however the matcher gets at them. */
function countingReads<T>(items: T[]): { path: T[]; reads: () => number } {
  let reads = 0;
  const path = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { path, reads: () => reads };
}

/** The reference: try the pattern at every allowed position, hop by hop. Quadratic and obviously right. */
function matchesSlow(p: PathPattern, path: PathHop[]): boolean {
  const same = (a: PatternHop, b: PathHop) =>
    typeof a === 'number' || typeof b === 'number'
      ? a === b
      : [...new Set(b)].sort((x, y) => x - y).join() === a.join() && b.length === a.length;
  const at = (start: number) => p.hops.every((h, i) => start + i < path.length && same(h, path[start + i]));
  let found = false;
  for (let s = 0; s + p.hops.length <= path.length; s++) {
    if (p.anchorStart && s !== 0) continue;
    if (p.anchorEnd && s + p.hops.length !== path.length) continue;
    if (at(s)) found = true;
  }
  return found !== p.negate;
}

describe('RIS Live path patterns', () => {
  const path: PathHop[] = [123, 456, 789, [789, 10111]];

  it('reads the manual examples into canonical form', () => {
    expect(pattern('789$').text).toBe('789$');
    expect(pattern('^123,456,[10111,789]$').text).toBe('^123,456,[789,10111]$');
    expect(pattern('!6666$')).toMatchObject({ negate: true, anchorEnd: true, hops: [6666] });
    expect(pattern(' ^ 3333 , 4444 ').text).toBe('^3333,4444');
    expect(pattern(64500).text).toBe('64500');
  });

  it('matches consecutive hops anywhere, at the start with ^, at the end with $', () => {
    expect(matches('456,789', path)).toBe(true);
    expect(matches('123,789', path)).toBe(false); // not consecutive
    expect(matches('^123', path)).toBe(true);
    expect(matches('^456', path)).toBe(false);
    expect(matches('789$', path)).toBe(false); // the last hop is the AS_SET
    expect(matches('[789,10111]$', path)).toBe(true);
    expect(matches('[10111,789]$', [1, [10111, 789]])).toBe(true); // a set's order does not matter
    expect(matches('[789]$', path)).toBe(false); // a set matches a set with exactly its members
    expect(matches('^123,456,789,[789,10111]$', path)).toBe(true);
    expect(matches('^123,456,789$', path)).toBe(false);
    expect(matches(456, path)).toBe(true);
  });

  it('inverts with !', () => {
    expect(matches('!6666$', path)).toBe(true);
    expect(matches('!^123', path)).toBe(false);
    expect(matches('!1', [])).toBe(true);
    expect(matches('1', [])).toBe(false);
  });

  it('rejects what is not a pattern, saying why', () => {
    for (const bad of [
      '',
      '^$',
      '!',
      'abc',
      '1,,2',
      '1,',
      '[1,2',
      '[1,x]',
      '4294967296',
      '1 2',
      '-1',
      1.5,
      {},
      [1],
    ]) {
      const r = parsePathPattern(bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^path: /);
    }
    expect(
      parsePathPattern(
        Array(MAX_PATTERN_HOPS + 1)
          .fill('1')
          .join(','),
      ).ok,
    ).toBe(false);
    expect(parsePathPattern('1,'.repeat(600) + '1').ok).toBe(false); // over the length cap
  });

  it('agrees with the slow reference on random paths and patterns', () => {
    const asn = fc.integer({ min: 1, max: 3 });
    const hop: fc.Arbitrary<PathHop> = fc.oneof(
      { weight: 5, arbitrary: asn },
      { weight: 1, arbitrary: fc.uniqueArray(asn, { minLength: 1, maxLength: 2 }) },
    );
    const hopText = (h: PathHop) => (typeof h === 'number' ? String(h) : `[${h.join(',')}]`);
    fc.assert(
      fc.property(
        fc.array(hop, { maxLength: 12 }),
        fc.array(hop, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (path, hops, neg, start, end) => {
          const text = (neg ? '!' : '') + (start ? '^' : '') + hops.map(hopText).join(',') + (end ? '$' : '');
          const p = pattern(text);
          expect(matchesPath(p, path)).toBe(matchesSlow(p, path));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays linear on patterns built to be slow', () => {
    // The classic worst case for naive matching: a long run of one AS, then a mismatch at the very end.
    const p = pattern(`${'1,'.repeat(MAX_PATTERN_HOPS - 1)}2`);
    const long = countingReads<PathHop>(Array(20_000).fill(1));
    expect(matchesPath(p, long.path)).toBe(false);
    // Hops read, not time taken (the same on any machine): KMP reads each hop at most three times (amortised),
    // where trying the pattern at every position would read up to MAX_PATTERN_HOPS (64) per hop.
    expect(long.reads()).toBeGreaterThan(0);
    expect(long.reads()).toBeLessThanOrEqual(3 * long.path.length);
  });
});
