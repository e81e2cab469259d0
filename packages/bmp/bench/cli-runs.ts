/**
 * What a user runs, timed as whole processes: `bmpwatch decode --summary FILE` and `bmpwatch decode --elems FILE
 * > /dev/null` next to the bgpkit-parser peer on the same file. Each process's start-up is measured on an empty
 * file and taken off, so the rates are of the work, on any machine; the start-up is printed too.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** `pnpm bmpwatch` runs `tsx apps/cli/src/main.ts`: the same node process, without pnpm's own start-up. */
const cli = ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), 'decode'];

export const emptyFile = (() => {
  const f = join(tmpdir(), 'bmpwatch-bench-empty.bmp');
  writeFileSync(f, new Uint8Array(0));
  return f;
})();

export interface ProcessRun {
  wall_s: number;
  messages: number;
  /** Route changes (elems) in the file, from the summary. */
  elems: number;
}

function timed(cmd: string, args: string[], stdout: 'pipe' | number): { wall_s: number; out: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', stdout, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const wall_s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall_s, out: typeof r.stdout === 'string' ? r.stdout : '' };
}

/** `bmpwatch decode --summary` (format raw|openbmp), with the counts it printed. */
export function runSummary(file: string, format: 'bmp' | 'openbmp'): ProcessRun {
  const { wall_s, out } = timed(process.execPath, [...cli, '--summary', '--format', format, file], 'pipe');
  const s = JSON.parse(out);
  return { wall_s, messages: s.messages, elems: s.route_changes.announce + s.route_changes.withdraw };
}

/** `bmpwatch decode --elems > /dev/null`. */
export function runElems(file: string, format: 'bmp' | 'openbmp'): number {
  const devNull = openSync('/dev/null', 'w');
  try {
    return timed(process.execPath, [...cli, '--elems', '--format', format, file], devNull).wall_s;
  } finally {
    closeSync(devNull);
  }
}

/** The peer as a process, one walk over the file (reading it included, as ours). */
export function runPeerProcess(peerBin: string, file: string, format: 'raw' | 'openbmp'): number {
  return timed(peerBin, ['--format', format, '--repeat', '1', file], 'pipe').wall_s;
}
