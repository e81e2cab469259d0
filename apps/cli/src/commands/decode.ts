/**
 * `bmpwatch decode [--elems | --messages | --summary] FILE|-` — a stable, scriptable contract:
 * stdout is pure NDJSON, problems go to stderr, the exit code says whether the input was well-formed.
 */
import { createReadStream } from 'node:fs';
import {
  BmpError,
  BmpFramer,
  type BmpMessage,
  BmpSessions,
  decodeBmp,
  decodeOpenBmp,
  type OpenBmpHeader,
  routeElems,
  type StreamFormat,
} from '@bmpwatch/bmp';
import { parseArgs, UsageError } from '../lib/args.ts';
import { bytesAsHex, LineWriter } from '../lib/output.ts';

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

interface Counts {
  messages: number;
  bytes: number;
  by_type: Record<string, number>;
  route_changes: { announce: number; withdraw: number };
  errors: Record<string, number>;
  warnings: Record<string, number>;
  guessed_encodings: number;
  peers: Set<string>;
}

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

  const out = new LineWriter();
  const counts: Counts = {
    messages: 0,
    bytes: 0,
    by_type: {},
    route_changes: { announce: 0, withdraw: 0 },
    errors: {},
    warnings: {},
    guessed_encodings: 0,
    peers: new Set(),
  };
  const started = performance.now();
  const framer = new BmpFramer({ format });
  const sessions = new BmpSessions();
  const reportError = (e: BmpError, where: number) => {
    counts.errors[e.code] = (counts.errors[e.code] ?? 0) + 1;
    if (!quiet)
      process.stderr.write(
        `bmpwatch decode: ${e.code} in message at byte ${where}: ${e.message} (byte ${e.offset} of it)\n`,
      );
  };

  const handle = async (msg: BmpMessage, header: OpenBmpHeader | null) => {
    counts.messages++;
    counts.by_type[msg.type] = (counts.by_type[msg.type] ?? 0) + 1;
    if ('peer' in msg) counts.peers.add(`${msg.peer.address} AS${msg.peer.asn}`);
    if (msg.type === 'route_monitoring') {
      const u = msg.update;
      if (u.encoding.guessed) counts.guessed_encodings++;
      if (u.warnings)
        for (const w of u.warnings) counts.warnings[w.code] = (counts.warnings[w.code] ?? 0) + 1;
      const elems = routeElems(msg, header?.routerIp ?? null);
      for (const el of elems) {
        counts.route_changes[el.type]++;
        if (mode === 'elems') await out.line(JSON.stringify(el));
      }
    }
    if (mode === 'messages') {
      const obj = header ? { ...msg, openbmp: header } : msg;
      await out.line(JSON.stringify(obj, bytesAsHex));
    }
  };

  const drain = async () => {
    for (;;) {
      const r = framer.next();
      if (r === false) return;
      if (r !== true) {
        reportError(r, r.offset);
        continue;
      }
      const buf = framer.buffer;
      let header: OpenBmpHeader | null = null;
      let msg: BmpMessage | BmpError;
      if (framer.isOpenBmp) {
        const o = decodeOpenBmp(
          buf.subarray(framer.frameStart, framer.end),
          stateless ? undefined : sessions,
        );
        if (o instanceof BmpError) {
          reportError(o, framer.frameStart);
          continue;
        }
        header = o.header;
        msg = o.message;
      } else {
        const view = buf.subarray(framer.start, framer.end);
        msg = stateless ? decodeBmp(view) : sessions.forRouter('').decode(view);
      }
      if (msg instanceof BmpError) reportError(msg, framer.frameStart);
      else await handle(msg, header);
    }
  };

  try {
    const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const chunk of input as AsyncIterable<Uint8Array>) {
      counts.bytes += chunk.length;
      framer.push(chunk);
      await drain();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`bmpwatch decode: cannot read ${file}: ${err.code ?? ''} ${err.message}\n`);
    return 1;
  }
  const tail = framer.finish();
  if (tail) reportError(tail, tail.offset);

  const elapsed = (performance.now() - started) / 1000;
  if (mode === 'summary') {
    await out.line(
      JSON.stringify({
        file,
        bytes: counts.bytes,
        messages: counts.messages,
        by_type: counts.by_type,
        route_changes: counts.route_changes,
        peers: counts.peers.size,
        errors: counts.errors,
        warnings: counts.warnings,
        skipped_bytes: framer.skippedBytes,
        guessed_encodings: counts.guessed_encodings,
        elapsed_s: Number(elapsed.toFixed(3)),
        messages_per_s: Math.round(counts.messages / Math.max(elapsed, 1e-9)),
      }),
    );
  }
  await out.flush();
  const errorCount = Object.values(counts.errors).reduce((a, b) => a + b, 0);
  if (errorCount > 0) {
    process.stderr.write(
      `bmpwatch decode: ${errorCount} error(s) in ${file}; ${counts.messages} message(s) decoded\n`,
    );
    return 1;
  }
  return 0;
}
