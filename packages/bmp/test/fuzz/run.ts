/**
 * `pnpm fuzz [--seconds N | --inputs N] [--seed S] [--out DIR]`: runs the decoder fuzzer for as long (or as
 * many inputs) as asked, printing progress, and writes any input that makes the decoder throw or stall to DIR
 * (default ./fuzz-findings). The last line is a JSON summary: inputs/s, exceptions escaped, slow inputs,
 * the slowest input, heap and RSS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BmpSession, OpenBmpRouters, RouteScan } from '../../src/index.ts';
import { corpus, exercise, mutate, newStats, rng } from './fuzz-core.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'Usage: pnpm fuzz [--seconds N (default 60) | --inputs N] [--seed S (default: time)] [--out DIR (default fuzz-findings)]',
  );
  process.exit(0);
}
// --inputs alone means "run until that many", however long it takes.
const maxInputs = Number(opt('inputs', 'Infinity'));
const seconds = Number(opt('seconds', Number.isFinite(maxInputs) ? 'Infinity' : '60'));
const seed = Number(opt('seed', String(Date.now() % 2 ** 31)));
const outDir = opt('out', 'fuzz-findings');

const seeds = corpus();
const r = rng(seed);
const stats = newStats();
const session = new BmpSession();
const scan = new RouteScan();
const router = new OpenBmpRouters();
const start = performance.now();
let lastReport = start;
const rssStart = process.memoryUsage().rss;
const heapStart = process.memoryUsage().heapUsed;
let heapPeak = heapStart;
console.error(`fuzzing for ${seconds} s / ${maxInputs} inputs, seed ${seed}, ${seeds.length} seed inputs`);
while (performance.now() - start < seconds * 1000 && stats.inputs < maxInputs) {
  const batch = Math.min(1000, maxInputs - stats.inputs);
  for (let i = 0; i < batch; i++) exercise(mutate(seeds, r), session, scan, router, stats, 100);
  if (stats.inputs % 50_000 === 0) session.reset();
  const now = performance.now();
  if (now - lastReport > 5000) {
    lastReport = now;
    const mem = process.memoryUsage();
    heapPeak = Math.max(heapPeak, mem.heapUsed);
    const rate = Math.round(stats.inputs / ((now - start) / 1000));
    console.error(
      `${stats.inputs} inputs (${rate}/s), ${stats.findings.length} findings, slowest ${stats.slowest_ms.toFixed(1)} ms, heap ${Math.round(mem.heapUsed / 1e6)} MB, rss ${Math.round(mem.rss / 1e6)} MB`,
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
const elapsed = (performance.now() - start) / 1000;
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    seed,
    seconds: Number(elapsed.toFixed(1)),
    inputs: stats.inputs,
    inputs_per_s: Math.round(stats.inputs / elapsed),
    decoded: stats.decoded,
    exceptions_escaped: stats.findings.filter((f) => f.kind === 'exception').length,
    inputs_over_100ms: stats.findings.filter((f) => f.kind === 'slow').length,
    slowest_ms: Number(stats.slowest_ms.toFixed(2)),
    heap_start_mb: Math.round(heapStart / 1e6),
    heap_peak_mb: Math.round(Math.max(heapPeak, mem.heapUsed) / 1e6),
    heap_end_mb: Math.round(mem.heapUsed / 1e6),
    rss_growth_mb: Math.round((mem.rss - rssStart) / 1e6),
    errors: stats.errors,
  }),
);
process.exitCode = stats.findings.length > 0 ? 1 : 0;
