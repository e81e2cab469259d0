import { BmpError, BmpSession } from '@bmpwatch/bmp';
import { describe, expect, it } from 'vitest';
import { type PipelineEvent, toEvent } from '../../src/pipeline/events.ts';
import { DemoFeed } from '../../src/sources/demo-feed.ts';

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
    const events: PipelineEvent[] = [];
    let errors = 0;
    for (let t = 0; t <= 120_000; t += 100) {
      for (const m of feed.step(1_700_000_000_000 + t)) {
        let s = sessions.get(m.router);
        if (!s) {
          s = new BmpSession();
          sessions.set(m.router, s);
        }
        const d = s.decode(m.bytes);
        if (d instanceof BmpError) {
          errors++;
          continue;
        }
        const ev = toEvent(
          d,
          { id: m.router, address: m.router, source: 'demo', sourceId: 'demo', collector: null, group: null },
          t,
        );
        if (ev) events.push(ev);
      }
    }
    expect(errors).toBe(0);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('router_up')).toBe(3);
    expect(count('peer_up')).toBeGreaterThanOrEqual(12 + 3); // initial sessions plus flaps coming back
    expect(count('peer_down')).toBeGreaterThanOrEqual(3);
    expect(count('stats')).toBeGreaterThan(100);
    const routes = events.filter((e) => e.type === 'routes');
    const prefixes = routes.flatMap((r) => r.announced.flatMap((g) => g.prefixes));
    expect(prefixes.some((p) => p.includes(':'))).toBe(true);
    expect(prefixes.some((p) => !p.includes(':'))).toBe(true);
    expect(routes.reduce((n, r) => n + r.withdrawCount, 0)).toBeGreaterThan(100);
    const origins = new Set(routes.flatMap((r) => (r.attributes?.asPath ?? []).map((s) => s.asns.at(-1))));
    expect(origins.size).toBeGreaterThan(50);
    // Dumps pack several prefixes per UPDATE, as routers do.
    expect(routes.filter((r) => r.announceCount > 1).length).toBeGreaterThan(50);
    const reasons = new Set(
      events.filter((e) => e.type === 'peer_down').map((e) => (e as { reason: string }).reason),
    );
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
