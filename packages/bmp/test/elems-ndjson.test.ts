/** The NDJSON elem writer says exactly what JSON.stringify of routeElems says, on real and fuzzed messages. */
import { describe, expect, it } from 'vitest';
import { decodeBmp, routeElems, routeElemsNdjson } from '../src/index.ts';
import { seconds } from '../src/read.ts';
import { corpus, mutate, rng } from './fuzz/fuzz-core.ts';

const expected = (lines: unknown[]) => lines.map((l) => JSON.stringify(l) + '\n').join('');

describe('routeElemsNdjson', () => {
  it('matches JSON.stringify(routeElems(…)) line for line', () => {
    const seeds = corpus();
    const r = rng(99);
    let compared = 0;
    let elems = 0;
    const reached = new Set<string>();
    const inputs = [...seeds, ...Array.from({ length: 30_000 }, () => mutate(seeds, r))];
    for (const [i, input] of inputs.entries()) {
      const m = decodeBmp(input);
      if (m.type !== 'route_monitoring') continue;
      // A long router name too: the writer makes room for what it is given, not for what is usual.
      const router = [null, '192.0.2.1', '2001:db8::1', 'r'.repeat(3000)][i % 4];
      const want = routeElems(m, router);
      expect(routeElemsNdjson(m, router)).toBe(expected(want));
      compared++;
      elems += want.length;
      if (m.update.treatAsWithdraw) reached.add('treat-as-withdraw');
      if (m.update.attributes.asPath?.some((s) => s.type === 'set')) reached.add('as-set');
      if (m.update.attributes.largeCommunities?.length) reached.add('large');
      if (m.update.attributes.extCommunities?.length) reached.add('ext');
      if (m.update.attributes.mpReach?.nlri?.pathIds) reached.add('add-path');
    }
    // The corpus must reach announcements with attributes, withdrawals and treat-as-withdraw alike.
    expect(compared).toBeGreaterThan(5_000);
    expect(elems).toBeGreaterThan(8_000);
    expect([...reached].sort()).toEqual(['add-path', 'as-set', 'ext', 'large', 'treat-as-withdraw']);
  });
});

describe('time stamps', () => {
  it('are written as JSON writes the decoder’s seconds, across the 32-bit range', () => {
    const m = corpus()
      .map((b) => decodeBmp(b))
      .find((x) => x.type === 'route_monitoring' && routeElems(x).length > 0);
    if (m?.type !== 'route_monitoring') throw new Error('no route monitoring in the corpus');
    const text = (t: number) => {
      const line = routeElemsNdjson({ ...m, peer: { ...m.peer, timestamp: t } }, null);
      return line.slice(line.indexOf('"timestamp":') + 12, line.indexOf(',"router"'));
    };
    const r = rng(5);
    for (let i = 0; i < 100_000; i++) {
      const sec = i < 10 ? i : Math.floor(r() * 2 ** 32);
      const usec = i % 7 === 0 ? 0 : i % 5 === 0 ? Math.floor(r() * 1000) * 1000 : Math.floor(r() * 1e6);
      const t = seconds(sec, usec);
      expect(text(t)).toBe(String(t));
    }
    // Numbers that are not the decoder's (not nearest to sec.usec) are written as JSON writes them.
    for (const t of [1764000000 + 0.001, 0.1 + 0.2, 2 ** 33 + 0.5, 1e21, -1.5, Number.NaN])
      expect(text(t)).toBe(JSON.stringify(t));
  });
});
