/** Seeded fuzzing in CI: ≥ 100,000 hostile inputs; nothing escapes the API, nothing stalls, memory stays bounded. */
import { describe, expect, it } from 'vitest';
import { BmpSession, OpenBmpRouter, RouteScan } from '../src/index.ts';
import { corpus, exercise, mutate, newStats, rng } from './fuzz/fuzz-core.ts';

describe('decoder fuzzing', () => {
  it('survives 100,000 mutated / truncated / spliced / random inputs', () => {
    const seeds = corpus();
    const r = rng(20261126);
    const stats = newStats();
    const session = new BmpSession();
    const scan = new RouteScan();
    const router = new OpenBmpRouter();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) exercise(mutate(seeds, r), session, scan, router, stats, 100);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(stats.findings.map((f) => f.problem)).toEqual([]);
    expect(stats.inputs).toBe(100_000);
    expect(stats.slowest_ms).toBeLessThan(100);
    // Both decoded messages and typed errors must be common, or the mutations are too timid / too wild.
    expect(stats.decoded).toBeGreaterThan(20_000);
    expect(Object.keys(stats.errors).length).toBeGreaterThan(8);
    // Bounded: the session keeps at most what Peer Ups taught it; garbage can't accumulate.
    expect(heapGrowth).toBeLessThan(200 * 1024 * 1024);
  }, 300_000);
});
