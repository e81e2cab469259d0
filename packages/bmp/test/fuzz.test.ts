/** Seeded fuzzing in CI: ≥ 100,000 hostile inputs; nothing escapes the API, nothing stalls, memory stays bounded. */
import { describe, expect, it } from 'vitest';
import { BmpError, BmpSession, decodeBmp, OpenBmpRouters, RouteScan } from '../src/index.ts';
import { corpus, exercise, mutate, newStats, rng } from './fuzz/fuzz-core.ts';
import { lengthFields, mutateStructure } from './fuzz/structure.ts';

describe('decoder fuzzing', () => {
  // Both tests mutate copies, so one corpus (read, framed and encoded once) serves them.
  const seeds = corpus();

  it('survives 100,000 mutated / truncated / spliced / random inputs', () => {
    const r = rng(20261126);
    const stats = newStats();
    const session = new BmpSession();
    const scan = new RouteScan();
    const router = new OpenBmpRouters();
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

  it('structure-aware mutants lie in one inner layer and still reach the inner parsers', () => {
    const plain = seeds.filter((s) => s[0] === 3);
    // The walker sees every layer: BMP/BGP lengths, attribute and TLV lengths, prefix bits, AS_PATH counts.
    const widths = new Set(plain.flatMap((s) => lengthFields(s).map((f) => `${f.kind}${f.width}`)));
    expect([...widths].sort()).toEqual(['bits1', 'count1', 'count4', 'length1', 'length2', 'length4']);
    const r = rng(7);
    let decoded = 0;
    let warned = 0;
    for (let i = 0; i < 5000; i++) {
      const m = decodeBmp(mutateStructure(plain, r)!);
      if (m instanceof BmpError) continue;
      decoded++;
      if (m.type === 'route_monitoring' && (m.update.warnings?.length ?? 0) > 0) warned++;
    }
    // Most mutants pass the outer framing; many get as far as attribute-level (RFC 7606) warnings.
    expect(decoded).toBeGreaterThan(2000);
    expect(warned).toBeGreaterThan(500);
  });
});
