/**
 * One benchmark measurement in its own process (so peak RSS and JIT state belong to one mode):
 * `tsx bench/decode-run.ts MODE FORMAT FILE REPEAT` → one JSON line.
 * MODE full: every message decoded to objects (BmpSession.decode / decodeOpenBmp), prefixes counted from them.
 * Each mode runs once untimed (JIT warm-up), then REPEAT timed runs; the median is reported.
 * MODE fast: the server's fast path (scanRoutes: peer, prefixes, origin ASN into reused arrays).
 */
import { readFileSync } from 'node:fs';
import { BmpFramer, BmpSession, OpenBmpRouters, RouteScan, scanRoutes } from '../src/index.ts';

const [mode, format, file, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText ?? 5);
// A view on the file's buffer, not a copy (the file is most of the peak RSS).
const fileBuf = readFileSync(file);
const bytes = new Uint8Array(fileBuf.buffer, fileBuf.byteOffset, fileBuf.length);

/**
 * The session of the framer's current message: the one raw BMP stream's, or its OpenBMP router's (null when
 * the OpenBMP header is bad). One small function both loops call: it inlines, unlike a callback per message.
 */
function sessionOf(framer: BmpFramer, routers: OpenBmpRouters, direct: BmpSession): BmpSession | null {
  if (!framer.isOpenBmp) return direct;
  const r = routers.read(framer.buffer, framer.frameStart, framer.end);
  return r.type === 'error' ? null : r.session;
}

interface Run {
  messages: number;
  prefixes: number;
  errors: number;
  checksum: number;
}

function fullRun(): Run {
  const framer = new BmpFramer({ format: format === 'openbmp' ? 'openbmp' : 'bmp' });
  framer.push(bytes);
  const routers = new OpenBmpRouters();
  const direct = new BmpSession();
  let messages = 0;
  let prefixes = 0;
  let errors = 0;
  let checksum = 0;
  for (;;) {
    const r = framer.next();
    if (r === false) break;
    if (r !== true) {
      errors++;
      continue;
    }
    const session = sessionOf(framer, routers, direct);
    if (session === null) {
      errors++;
      continue;
    }
    const msg = session.decode(framer.buffer, framer.start, framer.end);
    messages++;
    // The union's discriminant, as the types suggest: `instanceof` on an imported class costs a generic
    // prototype walk per message in optimized code (~5 % of this loop, measured).
    if (msg.type === 'error') {
      errors++;
      continue;
    }
    if (msg.type === 'route_monitoring') {
      const u = msg.update;
      const a = u.attributes;
      prefixes += u.withdrawn.prefixes.length + u.announced.prefixes.length;
      if (a.mpReach?.nlri) prefixes += a.mpReach.nlri.prefixes.length;
      if (a.mpUnreach?.nlri) prefixes += a.mpUnreach.nlri.prefixes.length;
      checksum = (checksum + msg.peer.address.length + (a.asPath ? a.asPath.length : 0)) | 0;
    }
  }
  return { messages, prefixes, errors, checksum };
}

// The framing loop is written out again here rather than shared through a callback: a polymorphic call per
// message would cost the fast path a few percent and blur the comparison.
function fastRun(): Run {
  const framer = new BmpFramer({ format: format === 'openbmp' ? 'openbmp' : 'bmp' });
  framer.push(bytes);
  const routers = new OpenBmpRouters();
  const direct = new BmpSession();
  const scan = new RouteScan();
  let messages = 0;
  let prefixes = 0;
  let errors = 0;
  let checksum = 0;
  for (;;) {
    const r = framer.next();
    if (r === false) break;
    if (r !== true) {
      errors++;
      continue;
    }
    const session = sessionOf(framer, routers, direct);
    if (session === null) {
      errors++;
      continue;
    }
    messages++;
    const code = scanRoutes(framer.buffer, framer.start, framer.end, session, scan);
    if (code !== null) {
      errors++;
      continue;
    }
    prefixes += scan.count;
    checksum = (checksum + scan.originAsn + scan.peerAsn) | 0;
  }
  return { messages, prefixes, errors, checksum };
}

const fn = mode === 'fast' ? fastRun : fullRun;
// One untimed pass first: the JIT compiles the decoder during it (a native peer has nothing to warm up).
fn();
const runs: number[] = [];
let last: Run | null = null;
for (let i = 0; i < repeat; i++) {
  const t = performance.now();
  const r = fn();
  runs.push((performance.now() - t) / 1000);
  if (last && (last.messages !== r.messages || last.prefixes !== r.prefixes))
    throw new Error('runs disagree');
  last = r;
}
const sorted = [...runs].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const res = last!;
console.log(
  JSON.stringify({
    tool: `bmpwatch-${mode}`,
    format,
    messages: res.messages,
    prefixes: res.prefixes,
    errors: res.errors,
    bytes: bytes.length,
    runs_s: runs.map((x) => Number(x.toFixed(4))),
    median_s: Number(median.toFixed(4)),
    msgs_per_s: Math.round(res.messages / median),
    mb_per_s: Number((bytes.length / 1e6 / median).toFixed(1)),
    prefixes_per_s: Math.round(res.prefixes / median),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
