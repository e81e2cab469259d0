/**
 * `bmpwatch decode [--elems | --messages | --summary] FILE|-` — a stable, scriptable contract:
 * stdout is pure NDJSON, problems go to stderr, the exit code says whether the input was well-formed.
 */
import {
  type BmpError,
  BmpFramer,
  BmpSession,
  decodeBmp,
  ElemsNdjson,
  OpenBmpRouters,
  readOpenBmpHeader,
  type StreamFormat,
} from '@bmpwatch/bmp';
import { asObject, Tally } from '../decode/tally.ts';
import { parseArgs, UsageError } from '../lib/args.ts';
import { inputChunks } from '../lib/input.ts';
import { bytesAsHex, NdjsonOut } from '../lib/output.ts';

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

/** Output is handed to stdout in pieces of about this many bytes. */
const OUTPUT_CHUNK = 1 << 20;

export async function runDecode(argv: string[]): Promise<number> {
  let mode: 'elems' | 'messages' | 'summary' = 'elems';
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

  const out = new NdjsonOut();
  // Output buffers are filled before they are written: no need to zero them first.
  const elems = new ElemsNdjson(OUTPUT_CHUNK + (1 << 16), Buffer.allocUnsafeSlow);
  const tally = new Tally(mode === 'summary');
  const started = performance.now();
  const framer = new BmpFramer({ format });
  const routers = new OpenBmpRouters();
  const direct = new BmpSession();
  /**
   * `where`: the message's offset in the input. `e.offset` is in the framer's buffer; people read it from the
   * start of the message (its OpenBMP header, if any), which is at `base` there.
   */
  const report = (e: BmpError, where: number, base: number) => {
    tally.error(e.code);
    if (!quiet)
      process.stderr.write(
        `bmpwatch decode: ${e.code} in message at byte ${where}: ${e.message} (byte ${e.offset - base} of it)\n`,
      );
  };

  // One pass over what the framer holds, synchronous; it waits only when stdout asks it to.
  const drain = async (): Promise<void> => {
    for (;;) {
      const r = framer.next();
      if (r === false) return;
      if (r !== true) {
        report(r, r.offset, 0);
        continue;
      }
      const buf = framer.buffer;
      const at = framer.frameStart;
      let session: BmpSession = direct;
      let routerIp: string | null = null;
      if (framer.isOpenBmp) {
        const router = routers.read(buf, at, framer.end);
        if (router.type === 'error') {
          report(router, framer.frameOffset, at);
          continue;
        }
        session = router.session;
        routerIp = router.header.routerIp;
      }
      const msg = stateless
        ? decodeBmp(buf, framer.start, framer.end)
        : session.decode(buf, framer.start, framer.end);
      if (msg.type === 'error') {
        report(msg, framer.frameOffset, at);
        continue;
      }
      tally.message(msg, buf, framer.start);
      if (mode === 'elems') {
        if (msg.type !== 'route_monitoring') continue;
        elems.write(msg, routerIp);
        if (elems.length < OUTPUT_CHUNK) continue;
        out.add(elems.take());
      } else if (mode === 'messages') {
        const header = framer.isOpenBmp ? readOpenBmpHeader(buf.subarray(at, framer.end)) : null;
        out.add(JSON.stringify(header === null ? msg : { ...msg, openbmp: header }, bytesAsHex) + '\n');
      } else continue;
      if (out.full) {
        const wait = out.flush();
        if (wait !== null) await wait;
      }
    }
  };

  try {
    for await (const chunk of inputChunks(file)) {
      tally.bytes += chunk.length;
      framer.push(chunk);
      await drain();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`bmpwatch decode: cannot read ${file}: ${err.code ?? ''} ${err.message}\n`);
    return 1;
  }
  const tail = framer.finish();
  if (tail) report(tail, tail.offset, 0);
  if (elems.length > 0) out.add(elems.take());

  const elapsed = (performance.now() - started) / 1000;
  if (mode === 'summary') {
    out.add(
      JSON.stringify({
        file,
        bytes: tally.bytes,
        messages: tally.messages,
        by_type: asObject(tally.byType),
        route_changes: { announce: tally.announce, withdraw: tally.withdraw },
        peers: tally.peerCount,
        errors: asObject(tally.errors),
        warnings: asObject(tally.warnings),
        skipped_bytes: framer.skippedBytes,
        guessed_encodings: tally.guessed,
        elapsed_s: Number(elapsed.toFixed(3)),
        messages_per_s: Math.round(tally.messages / Math.max(elapsed, 1e-9)),
      }) + '\n',
    );
  }
  const wait = out.flush();
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
