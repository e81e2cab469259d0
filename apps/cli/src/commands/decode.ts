/**
 * `bmpwatch decode [--elems | --messages | --summary] FILE|-` — a stable, scriptable contract:
 * stdout is pure NDJSON, problems go to stderr, the exit code says whether the input was well-formed.
 */
import type { StreamFormat } from '@bmpwatch/bmp';
import { type DecodeMode, DecodeRun } from '../decode/run.ts';
import { asObject } from '../decode/tally.ts';
import { parseArgs, UsageError } from '../lib/args.ts';
import { inputChunks } from '../lib/input.ts';

export const DECODE_HELP = `Usage: bmpwatch decode [--elems | --messages | --summary] [options] FILE|-

Decodes a BMP capture (raw BMP v3, or OpenBMP raw_bmp messages; told apart by the magic) and prints NDJSON.

Modes (one):
  --elems       one JSON object per route change (per prefix) of Route Monitoring messages (default)
  --messages    one JSON object per BMP message, with its decoded content
  --summary     decode everything, then print one JSON object with counts, errors and timing

Options:
  --format F    auto (default), bmp or openbmp
  --stateless   ignore Peer Up state (decode each message alone; encodings are guessed from the bytes)
  --quiet       don't print each error on stderr (still counted, still a non-zero exit)
  -h, --help    this help

Exit status: 0 when the input decoded cleanly, 1 when some of it could not be decoded (what did decode is
still printed), 2 for usage errors.`;

export async function runDecode(argv: string[]): Promise<number> {
  let mode: DecodeMode = 'elems';
  let format: StreamFormat = 'auto';
  let stateless = false;
  let quiet = false;
  let file: string;
  try {
    const { flags, positional } = parseArgs(
      argv,
      {
        elems: false,
        messages: false,
        summary: false,
        format: true,
        stateless: false,
        quiet: false,
        help: false,
      },
      { h: 'help' },
    );
    if (flags.has('help')) {
      process.stdout.write(DECODE_HELP + '\n');
      return 0;
    }
    const modes = (['elems', 'messages', 'summary'] as const).filter((m) => flags.has(m));
    if (modes.length > 1) throw new UsageError('choose one of --elems, --messages, --summary');
    if (modes.length === 1) mode = modes[0];
    const f = flags.get('format') ?? 'auto';
    if (f !== 'auto' && f !== 'bmp' && f !== 'openbmp')
      throw new UsageError(`--format must be auto, bmp or openbmp, not ${f}`);
    format = f;
    stateless = flags.has('stateless');
    quiet = flags.has('quiet');
    if (positional.length !== 1) throw new UsageError('give exactly one FILE (or - for stdin)');
    file = positional[0];
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bmpwatch decode: ${e.message}\n\n${DECODE_HELP}\n`);
      return 2;
    }
    throw e;
  }

  const run = new DecodeRun(mode, format, stateless, quiet);
  const started = performance.now();
  try {
    for await (const chunk of inputChunks(file)) {
      run.push(chunk);
      for (let wait = run.drain(); wait !== null; wait = run.drain()) await wait;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`bmpwatch decode: cannot read ${file}: ${err.code ?? ''} ${err.message}\n`);
    return 1;
  }
  const { tally } = run;
  const summary = (): string => {
    const elapsed = (performance.now() - started) / 1000;
    return JSON.stringify({
      file,
      bytes: tally.bytes,
      messages: tally.messages,
      by_type: tally.byType,
      route_changes: { announce: tally.announce, withdraw: tally.withdraw },
      peers: tally.peerCount,
      errors: asObject(tally.errors),
      warnings: asObject(tally.warnings),
      skipped_bytes: run.framer.skippedBytes,
      guessed_encodings: tally.guessed,
      elapsed_s: Number(elapsed.toFixed(3)),
      messages_per_s: Math.round(tally.messages / Math.max(elapsed, 1e-9)),
    });
  };
  run.endOfInput();
  const wait = run.close(mode === 'summary' ? summary() : null);
  if (wait !== null) await wait;
  const errorCount = tally.errorCount;
  if (errorCount > 0) {
    process.stderr.write(
      `bmpwatch decode: ${errorCount} error(s) in ${file}; ${tally.messages} message(s) decoded\n`,
    );
    return 1;
  }
  return 0;
}
