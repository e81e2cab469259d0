/** The demo feed, read back by the decoder: what a dashboard on the embedded default will be shown. */
import { BmpError, type BmpMessage, BmpSession, routeElems } from '@bmpwatch/bmp';
import { describe, expect, it } from 'vitest';
import { DemoFeed } from '../src/demo-feed.ts';

describe('DemoFeed', () => {
  it('produces a realistic, decodable feed: dumps, churn, flaps, stats, IPv4 and IPv6', () => {
    const feed = new DemoFeed({
      routers: 3,
      peers: 4,
      prefixes: 300,
      rate: 50,
      seed: 7,
      flapEvery: 20,
      statsEvery: 5,
    });
    const sessions = new Map<string, BmpSession>();
    const messages: BmpMessage[] = [];
    let errors = 0;
    for (let t = 0; t <= 120_000; t += 100) {
      for (const m of feed.step(1_700_000_000_000 + t)) {
        let s = sessions.get(m.router);
        if (!s) {
          s = new BmpSession();
          sessions.set(m.router, s);
        }
        const d = s.decode(m.bytes);
        if (d instanceof BmpError) errors++;
        else messages.push(d);
      }
    }
    expect(errors).toBe(0);
    const count = (type: string) => messages.filter((m) => m.type === type).length;
    expect(count('initiation')).toBe(3);
    expect(count('peer_up')).toBeGreaterThanOrEqual(12 + 3); // initial sessions plus flaps coming back
    expect(count('peer_down')).toBeGreaterThanOrEqual(3);
    expect(count('statistics_report')).toBeGreaterThan(100);
    const updates = messages.filter((m) => m.type === 'route_monitoring');
    const elems = updates.flatMap((m) => routeElems(m, null));
    const announced = elems.filter((e) => e.type === 'announce');
    expect(announced.some((e) => e.prefix.includes(':'))).toBe(true);
    expect(announced.some((e) => !e.prefix.includes(':'))).toBe(true);
    expect(elems.filter((e) => e.type === 'withdraw').length).toBeGreaterThan(100);
    const origins = new Set(announced.map((e) => e.path.at(-1)));
    expect(origins.size).toBeGreaterThan(50);
    // Dumps pack several prefixes per UPDATE, as routers do.
    const perUpdate = updates.map((m) => routeElems(m, null).filter((e) => e.type === 'announce').length);
    expect(perUpdate.filter((n) => n > 1).length).toBeGreaterThan(50);
    const reasons = new Set(messages.flatMap((m) => (m.type === 'peer_down' ? [m.reason] : [])));
    expect(reasons.size).toBeGreaterThan(1);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const f = new DemoFeed({ routers: 2, peers: 2, prefixes: 50, rate: 20, seed: 3 });
      const out: string[] = [];
      for (let t = 0; t < 5000; t += 100)
        for (const m of f.step(1e12 + t)) out.push(Buffer.from(m.bytes).toString('hex'));
      return out;
    };
    expect(run()).toEqual(run());
  });
});
