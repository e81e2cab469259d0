/**
 * `pnpm bench:decode [--messages N] [--rounds R] [--repeat K] [--only cli|inprocess]`
 * Decodes the same seeded 1,000,000-message capture (raw and OpenBMP-wrapped) and prints our/their ratios
 * against bgpkit-parser (Rust, built here from crates.io):
 * - what users run, as whole processes (cli-runs.ts): `bmpwatch decode --summary` and `--elems > /dev/null`
 *   against the peer's process, each with its start-up (measured on an empty file) taken off;
 * - the decoder in process: our full decode to objects, our fast path, and the peer's timed walk.
 * Each measurement runs in its own process; rounds are interleaved so a noisy neighbour hurts all alike;
 * figures are medians (and the worst round for the process runs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFile, runElems, runPeerProcess, runSummary } from './cli-runs.ts';
import { benchFiles } from './generate.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
if (args.includes('--help')) {
  console.log(
    'Usage: pnpm bench:decode [--messages N (1000000)] [--rounds R (5)] [--repeat K (7)] [--seed S (1)] [--only cli|inprocess] [--single-threaded-gc]',
  );
  process.exit(0);
}
const messages = opt('messages', 1_000_000);
// Five processes per decoder and format: one build's speed varies ±3–5 % from process to process on this
// machine (JIT decisions, memory layout), and the median of five moves far less than the median of three.
const rounds = opt('rounds', 5);
const repeat = opt('repeat', 7);
const seed = opt('seed', 1);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : null;
if (only !== null && only !== 'cli' && only !== 'inprocess') {
  console.error('--only must be cli or inprocess');
  process.exit(2);
}
const doCli = only !== 'inprocess';
const doInProcess = only !== 'cli';
/**
 * Opt-in: run our processes with V8's --single-threaded-gc. Its parallel scavenger waits for helper threads,
 * which a loaded 2-core machine deschedules; off by default so the figures are plain Node's.
 */
const singleThreadedGc = args.includes('--single-threaded-gc');

interface Result {
  tool: string;
  format: string;
  messages: number;
  prefixes: number;
  errors: number;
  bytes: number;
  median_s: number;
  msgs_per_s: number;
  mb_per_s: number;
  prefixes_per_s: number;
  peak_rss_mb?: number;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

log(`input: ${messages} Route Monitoring messages (seed ${seed}) …`);
const files = benchFiles(messages, seed);
log(`  raw     ${files.raw}\n  openbmp ${files.openbmp}`);

const peerDir = join(here, 'bgpkit-peer');
const peerBin = join(process.env.CARGO_TARGET_DIR ?? join(peerDir, 'target'), 'release', 'bgpkit-peer');
let havePeer = false;
try {
  log('building bgpkit-parser peer (cargo build --release) …');
  execFileSync('cargo', ['build', '--release', '--quiet', '--manifest-path', join(peerDir, 'Cargo.toml')], {
    stdio: 'inherit',
  });
  havePeer = existsSync(peerBin);
} catch (e) {
  log(`  could not build the Rust peer (${(e as Error).message}); printing our figures only`);
}

function runOurs(mode: 'full' | 'fast', format: 'raw' | 'openbmp'): Result {
  const file = format === 'raw' ? files.raw : files.openbmp;
  const r = spawnSync(
    process.execPath,
    [
      ...(singleThreadedGc ? ['--single-threaded-gc'] : []),
      '--import',
      'tsx',
      join(here, 'decode-run.ts'),
      mode,
      format,
      file,
      String(repeat),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`decode-run ${mode} ${format} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function runPeer(format: 'raw' | 'openbmp'): Result {
  const file = format === 'raw' ? files.raw : files.openbmp;
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', peerBin, '--format', format, '--repeat', String(repeat), file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bgpkit-peer failed: ${r.stderr}`);
  const res: Result = JSON.parse(r.stdout);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  if (Number.isFinite(rssKb)) res.peak_rss_mb = Math.round(rssKb / 1024);
  return res;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = new Map<string, Result[]>();
const add = (key: string, r: Result) => samples.set(key, [...(samples.get(key) ?? []), r]);

// Other work on this shared machine moves our figures more than the peer's (docs/benchmarks.md): say how busy it was.
const loadBefore = loadavg()[0];
/** Whole-process wall times per key ("peer raw", "summary openbmp", "startup ours", …). */
const walls = new Map<string, number[]>();
const wall = (key: string, s: number) => walls.set(key, [...(walls.get(key) ?? []), s]);
const counts = new Map<string, { messages: number; elems: number }>();
for (let round = 1; round <= rounds; round++) {
  for (const format of ['raw', 'openbmp'] as const) {
    log(`round ${round}/${rounds}, ${format} …`);
    const file = format === 'raw' ? files.raw : files.openbmp;
    const cliFormat = format === 'raw' ? 'bmp' : 'openbmp';
    if (doCli) {
      if (havePeer) {
        wall(`peer ${format}`, runPeerProcess(peerBin, file, format));
        wall(`startup peer ${format}`, runPeerProcess(peerBin, emptyFile, format));
      }
      wall(`startup ours ${format}`, runSummary(emptyFile, cliFormat).wall_s);
      const s = runSummary(file, cliFormat);
      counts.set(format, s);
      wall(`summary ${format}`, s.wall_s);
      wall(`elems ${format}`, runElems(file, cliFormat));
    }
    if (doInProcess) {
      if (havePeer) add(`bgpkit ${format}`, runPeer(format));
      add(`full ${format}`, runOurs('full', format));
      add(`fast ${format}`, runOurs('fast', format));
    }
  }
}

function summary(key: string) {
  const rs = samples.get(key);
  if (!rs) return null;
  return {
    msgs_per_s: median(rs.map((r) => r.msgs_per_s)),
    mb_per_s: median(rs.map((r) => r.mb_per_s)),
    prefixes_per_s: median(rs.map((r) => r.prefixes_per_s)),
    peak_rss_mb: median(rs.map((r) => r.peak_rss_mb ?? 0)),
    messages: rs[0].messages,
    prefixes: rs[0].prefixes,
    errors: rs[0].errors,
  };
}

const loadAfter = loadavg()[0];
const cpus = availableParallelism();
// The benchmark keeps one CPU busy itself, so that much of the load at the end is ours.
const busy = loadBefore > cpus / 2 || loadAfter - 1 > cpus / 2;

const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n);
console.log(
  `\nbmpwatch decode benchmark — ${messages} messages, medians of ${rounds} rounds × ${repeat} runs (node ${process.version}${singleThreadedGc ? ', ours with --single-threaded-gc' : ''})`,
);
console.log(
  `machine: ${cpus} CPUs, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}${busy ? ' (busy: compare figures only with runs at a similar load)' : ''}\n`,
);
const cliTable: Record<string, unknown> = {};
if (doCli) {
  console.log('What users run, as processes (start-up taken off; median, worst of the rounds in brackets):');
  console.log('format   command                        rate (median)     (worst)   start-up   vs bgpkit');
  for (const format of ['raw', 'openbmp'] as const) {
    const c = counts.get(format);
    if (!c) continue;
    /** Rate per round: work / (wall − median start-up of that process kind). */
    const rates = (key: string, startupKey: string, work: number) => {
      const up = median(walls.get(startupKey) ?? [0]);
      return (walls.get(key) ?? []).map((w) => work / Math.max(w - up, 1e-6));
    };
    const peer = havePeer ? rates(`peer ${format}`, `startup peer ${format}`, c.messages) : [];
    const rows = [
      ['bgpkit-parser (process)', peer, 'msgs/s', `startup peer ${format}`],
      [
        'bmpwatch decode --summary',
        rates(`summary ${format}`, `startup ours ${format}`, c.messages),
        'msgs/s',
        `startup ours ${format}`,
      ],
      [
        'bmpwatch decode --elems',
        rates(`elems ${format}`, `startup ours ${format}`, c.elems),
        'elems/s',
        `startup ours ${format}`,
      ],
    ] as const;
    for (const [label, rs, unit, upKey] of rows) {
      if (rs.length === 0) continue;
      const med = median(rs);
      const worst = Math.min(...rs);
      const up = median(walls.get(upKey) ?? [0]);
      const ratio =
        unit === 'msgs/s' && label !== 'bgpkit-parser (process)' && peer.length > 0
          ? med / median(peer)
          : null;
      cliTable[`${label} ${format}`] = {
        unit,
        median: Math.round(med),
        worst: Math.round(worst),
        startup_s: Number(up.toFixed(3)),
        ratio_vs_bgpkit: ratio === null ? null : Number(ratio.toFixed(2)),
      };
      console.log(
        `${format.padEnd(8)} ${label.padEnd(30)} ${`${fmt(med)} ${unit}`.padStart(14)} ${`(${fmt(worst)})`.padStart(9)} ${`${up.toFixed(2)} s`.padStart(10)}   ${ratio === null ? '' : `${ratio.toFixed(2)}×`}`,
      );
    }
  }
  const cliRatio = (format: string) =>
    (cliTable[`bmpwatch decode --summary ${format}`] as { ratio_vs_bgpkit: number | null } | undefined)
      ?.ratio_vs_bgpkit ?? null;
  const elemsRate = (format: string) =>
    (cliTable[`bmpwatch decode --elems ${format}`] as { median: number } | undefined)?.median ?? null;
  console.log(
    `\ntargets: --summary ≥ 1.5× bgpkit (raw ${cliRatio('raw')}×, openbmp ${cliRatio('openbmp')}×); --elems ≥ 1,500,000 elems/s (raw ${elemsRate('raw')}, openbmp ${elemsRate('openbmp')})\n`,
  );
}
if (doInProcess) {
  console.log('The decoder in process (medians):');
  console.log('format   decoder              msgs/s     MB/s   prefixes/s  peak RSS   vs bgpkit');
}
const table: Record<string, unknown> = {};
for (const format of ['raw', 'openbmp'] as const) {
  const peer = summary(`bgpkit ${format}`);
  for (const [label, key] of [
    ['bgpkit-parser', `bgpkit ${format}`],
    ['bmpwatch full', `full ${format}`],
    ['bmpwatch fast path', `fast ${format}`],
  ] as const) {
    const s = summary(key);
    if (!s) continue;
    const ratio = peer && key !== `bgpkit ${format}` ? s.msgs_per_s / peer.msgs_per_s : null;
    table[key] = { ...s, ratio_vs_bgpkit: ratio === null ? null : Number(ratio.toFixed(2)) };
    console.log(
      `${format.padEnd(8)} ${label.padEnd(20)} ${fmt(s.msgs_per_s).padStart(7)} ${String(s.mb_per_s).padStart(8)} ${fmt(s.prefixes_per_s).padStart(11)} ${`${s.peak_rss_mb} MB`.padStart(9)}   ${ratio === null ? '' : `${ratio.toFixed(2)}×`}`,
    );
  }
  for (const key of [`full ${format}`, `fast ${format}`]) {
    const s = summary(key);
    if (peer && s && (s.messages !== peer.messages || s.prefixes !== peer.prefixes)) {
      console.log(
        `  note: ${key} counted ${s.messages} msgs / ${s.prefixes} prefixes, bgpkit ${peer.messages} / ${peer.prefixes}`,
      );
    }
  }
}
const ratio = (k: string) =>
  (table[k] as { ratio_vs_bgpkit: number | null } | undefined)?.ratio_vs_bgpkit ?? null;
if (havePeer && doInProcess) {
  console.log(
    `\ntargets: full decode ≥ 1.5× bgpkit (raw ${ratio('full raw')}×, openbmp ${ratio('full openbmp')}×); fast path ≥ 3× (raw ${ratio('fast raw')}×, openbmp ${ratio('fast openbmp')}×)`,
  );
}
console.log(
  `\n${JSON.stringify({ messages, rounds, repeat, singleThreadedGc, cpus, load_before: loadBefore, load_after: loadAfter, processes: cliTable, results: table })}`,
);
