/**
 * `pnpm fuzz [--seconds N] [--seed S] [--out DIR]`: runs the decoder fuzzer for as long as asked, printing
 * progress, and writes any input that makes the decoder throw or stall to DIR (default ./fuzz-findings).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BmpSession, OpenBmpRouter, RouteScan } from '../../src/index.ts';
import { corpus, exercise, mutate, newStats, rng } from './fuzz-core.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'Usage: pnpm fuzz [--seconds N (default 60)] [--seed S (default: time)] [--out DIR (default fuzz-findings)]',
  );
  process.exit(0);
}
const seconds = Number(opt('seconds', '60'));
const seed = Number(opt('seed', String(Date.now() % 2 ** 31)));
const outDir = opt('out', 'fuzz-findings');

const seeds = corpus();
const r = rng(seed);
const stats = newStats();
const session = new BmpSession();
const scan = new RouteScan();
const router = new OpenBmpRouter();
const start = performance.now();
let lastReport = start;
const rssStart = process.memoryUsage().rss;
console.error(`fuzzing for ${seconds} s, seed ${seed}, ${seeds.length} seed inputs`);
while (performance.now() - start < seconds * 1000) {
  for (let i = 0; i < 1000; i++) exercise(mutate(seeds, r), session, scan, router, stats, 100);
  if (stats.inputs % 50_000 === 0) session.reset();
  const now = performance.now();
  if (now - lastReport > 5000) {
    lastReport = now;
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    console.error(
      `${stats.inputs} inputs, ${stats.findings.length} findings, slowest ${stats.slowest_ms.toFixed(1)} ms, rss ${rss} MB`,
    );
  }
}
if (stats.findings.length > 0) {
  mkdirSync(outDir, { recursive: true });
  stats.findings.forEach((f, i) => {
    writeFileSync(join(outDir, `finding-${seed}-${i}.bin`), f.input);
    writeFileSync(join(outDir, `finding-${seed}-${i}.txt`), f.problem);
  });
}
const rssGrowth = Math.round((process.memoryUsage().rss - rssStart) / 1e6);
console.log(
  JSON.stringify({
    seed,
    seconds,
    inputs: stats.inputs,
    decoded: stats.decoded,
    findings: stats.findings.length,
    slowest_ms: Number(stats.slowest_ms.toFixed(2)),
    rss_growth_mb: rssGrowth,
    errors: stats.errors,
  }),
);
process.exitCode = stats.findings.length > 0 ? 1 : 0;
