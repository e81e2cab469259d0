/**
 * The decoder fuzzer: mutated, truncated, spliced and random inputs derived from real captures and encoder
 * output, fed to every entry point. A finding is an exception escaping the API, or one input taking too long.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeBmp, wrapOpenBmp } from '../../src/encode/index.ts';
import {
  BmpError,
  BmpFramer,
  type BmpSession,
  decodeBmp,
  decodeOpenBmp,
  type OpenBmpRouters,
  type RouteScan,
  routeElems,
  scanRoutes,
} from '../../src/index.ts';

import { mutateStructure } from './structure.ts';

export { rng } from '../../bench/generate.ts';

/** Seed inputs: every message of the lab capture (sampled), encoder-built messages of each type, OpenBMP copies. */
export function corpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const cap = new Uint8Array(
    readFileSync(fileURLToPath(new URL('../fixtures/lab-gobgp.bmp', import.meta.url))),
  );
  const f = new BmpFramer();
  f.push(cap);
  let i = 0;
  while (f.next() === true) {
    // Keep all non-route-monitoring messages and a sample of the rest.
    if (f.buffer[f.start + 5] !== 0 || i++ % 25 === 0) out.push(f.buffer.slice(f.start, f.end));
  }
  const peer = { address: '2001:db8::1', asn: 4200000001, bgpId: '192.0.2.1', timestamp: 1.5 };
  out.push(
    encodeBmp({
      type: 'route_monitoring',
      peer,
      update: {
        withdrawn: ['10.1.0.0/16'],
        announced: ['10.0.0.0/8', '192.0.2.0/24'],
        encoding: { as4: false },
        attributes: {
          origin: 'egp',
          asPath: [
            { type: 'sequence', asns: [4200000001, 65001] },
            { type: 'set', asns: [1, 2, 70000] },
          ],
          nextHop: '192.0.2.1',
          med: 1,
          localPref: 100,
          atomicAggregate: true,
          aggregator: { asn: 4200000001, address: '192.0.2.1' },
          communities: [1, 2, 0xffffff01],
          originatorId: '192.0.2.2',
          clusterList: ['192.0.2.3'],
          extCommunities: ['rt:65001:100', 'soo:192.0.2.1:7', '0x0102030405060708'],
          largeCommunities: [[1, 2, 3]],
          otc: 65001,
          mpReach: {
            afi: 2,
            safi: 1,
            nextHop: '2001:db8::1',
            nextHopLinkLocal: 'fe80::1',
            nlri: { afi: 2, safi: 1, prefixes: ['2001:db8::/32'], pathIds: [7] },
            raw: null,
          },
          mpUnreach: {
            afi: 2,
            safi: 2,
            nlri: { afi: 2, safi: 2, prefixes: ['2001:db8:1::/48'], pathIds: null },
            raw: null,
          },
          unknown: [{ code: 99, flags: 0xc0, value: Uint8Array.from([1, 2, 3]) }],
        },
      },
    }),
    encodeBmp({
      type: 'statistics_report',
      peer,
      stats: [
        { type: 0, value: 5 },
        { type: 9, value: 100, afi: 2, safi: 1 },
        { type: 65531, raw: Uint8Array.from([1, 2]) },
      ],
    }),
    encodeBmp({
      type: 'peer_down',
      peer,
      reason: 3,
      notification: { code: 6, subcode: 2, shutdownMessage: 'maintenance' },
    }),
    encodeBmp({ type: 'peer_down', peer, reason: 2, fsmCode: 7 }),
    encodeBmp({
      type: 'route_mirroring',
      peer,
      tlvs: [
        { type: 0, message: { kind: 'update', withdrawn: ['10.0.0.0/8'] } },
        { type: 1, code: 1 },
      ],
    }),
    encodeBmp({
      type: 'termination',
      information: [
        { type: 0, value: 'bye' },
        { type: 1, raw: Uint8Array.from([0, 1]) },
      ],
    }),
  );
  const n = out.length;
  for (let k = 0; k < n; k += 7)
    out.push(
      wrapOpenBmp(out[k], {
        // Both header forms: binary v1.7 and OpenBMP 2.x text.
        form: k % 3 === 0 ? 'text' : 'binary',
        collectionTime: 1,
        adminId: 'fuzz',
        routerIp: k % 2 ? '192.0.2.9' : '2001:db8::9',
        routerHash: 'ab'.repeat(16),
        routerGroup: 'g',
      }),
    );
  return out;
}

const INTERESTING = [0, 1, 2, 3, 4, 6, 0x0f, 0x10, 0x1f, 0x20, 0x40, 0x7f, 0x80, 0xfe, 0xff];

/**
 * One mutated input from the corpus: half structure-aware (one lie in an otherwise valid message, sometimes
 * followed by one blind mutation), half blind byte-level mutations.
 */
export function mutate(seeds: Uint8Array[], r: () => number): Uint8Array {
  const structured = r() < 0.5 ? mutateStructure(seeds, r) : null;
  if (structured !== null) return r() < 0.8 ? structured : mutateBytes(structured, seeds, r, 1);
  return mutateBytes(seeds[Math.floor(r() * seeds.length)].slice(), seeds, r, 1 + Math.floor(r() * 4));
}

/** `rounds` blind mutations of `b`: flips, interesting bytes, truncation, splices, length-looking fields. */
function mutateBytes(b: Uint8Array, seeds: Uint8Array[], r: () => number, rounds: number): Uint8Array {
  const pick = () => seeds[Math.floor(r() * seeds.length)];
  const int = (n: number) => Math.floor(r() * n);
  for (let k = 0; k < rounds; k++) {
    const op = int(10);
    if (b.length === 0) b = pick().slice();
    switch (op) {
      case 0: // bit flip
        b[int(b.length)] ^= 1 << int(8);
        break;
      case 1: // interesting byte
        b[int(b.length)] = INTERESTING[int(INTERESTING.length)];
        break;
      case 2: // random byte
        b[int(b.length)] = int(256);
        break;
      case 3: // truncate
        b = b.slice(0, int(b.length + 1));
        break;
      case 4: {
        // extend with random bytes
        const extra = new Uint8Array(int(64));
        for (let i = 0; i < extra.length; i++) extra[i] = int(256);
        b = Uint8Array.from([...b, ...extra]);
        break;
      }
      case 5: {
        // splice two inputs
        const other = pick();
        const at = int(b.length + 1);
        b = Uint8Array.from([...b.subarray(0, at), ...other.subarray(int(other.length + 1))]);
        break;
      }
      case 6: {
        // a 16- or 32-bit length-looking field set to something extreme
        const at = int(Math.max(1, b.length - 4));
        const v = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, b.length, b.length + 1][int(8)];
        if (r() < 0.5) {
          b[at] = (v >>> 8) & 0xff;
          b[at + 1] = v & 0xff;
        } else {
          b[at] = v >>> 24;
          b[at + 1] = (v >>> 16) & 0xff;
          b[at + 2] = (v >>> 8) & 0xff;
          b[at + 3] = v & 0xff;
        }
        break;
      }
      case 7: {
        // duplicate a slice in place
        const a = int(b.length);
        const len = int(Math.min(64, b.length - a) + 1);
        b = Uint8Array.from([...b.subarray(0, a + len), ...b.subarray(a, a + len), ...b.subarray(a + len)]);
        break;
      }
      case 8: {
        // delete a slice
        const a = int(b.length);
        b = Uint8Array.from([...b.subarray(0, a), ...b.subarray(a + int(32))]);
        break;
      }
      default: {
        // wholly random bytes, sometimes behind a valid-looking BMP header
        const len = int(300);
        const x = new Uint8Array(len + 6);
        for (let i = 0; i < x.length; i++) x[i] = int(256);
        if (r() < 0.7) {
          x[0] = 3;
          x[1] = 0;
          x[2] = 0;
          x[3] = (x.length >>> 8) & 0xff;
          x[4] = x.length & 0xff;
          x[5] = int(7);
        }
        b = x;
      }
    }
  }
  return b;
}

export interface FuzzStats {
  inputs: number;
  decoded: number;
  errors: Record<string, number>;
  slowest_ms: number;
  findings: { input: Uint8Array; kind: 'exception' | 'slow'; problem: string }[];
}

/** Feeds one input to every entry point; anything thrown is a finding. */
export function exercise(
  input: Uint8Array,
  session: BmpSession,
  scan: RouteScan,
  router: OpenBmpRouters,
  stats: FuzzStats,
  maxMs: number,
): void {
  const ms = runOnce(input, session, scan, router, stats);
  stats.inputs++;
  if (ms <= maxMs / 4) {
    if (ms > stats.slowest_ms) stats.slowest_ms = ms;
    return;
  }
  // A shared machine pauses (GC, other jobs): only an input that is slow every time is a finding, and the
  // slowest input reported is the input's own cost (best of 4), not a pause that happened to hit it.
  let best = ms;
  for (let i = 0; i < 3 && best > maxMs / 4; i++)
    best = Math.min(best, runOnce(input, session, scan, router, newStats()));
  if (best > stats.slowest_ms) stats.slowest_ms = best;
  if (best > maxMs)
    stats.findings.push({ input, kind: 'slow', problem: `took ${best.toFixed(1)} ms (best of 4)` });
}

function runOnce(
  input: Uint8Array,
  session: BmpSession,
  scan: RouteScan,
  router: OpenBmpRouters,
  stats: FuzzStats,
): number {
  const t0 = performance.now();
  try {
    const results = [decodeBmp(input), session.decode(input)];
    const o = decodeOpenBmp(input, session);
    if (!(o instanceof BmpError)) results.push(o.message);
    else results.push(o);
    for (const m of results) {
      if (m instanceof BmpError) {
        stats.errors[m.code] = (stats.errors[m.code] ?? 0) + 1;
        if (typeof m.offset !== 'number' || m.offset < 0) throw new Error(`bad error offset ${m.offset}`);
      } else {
        stats.decoded++;
        if (m.type === 'route_monitoring') routeElems(m, null);
        JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? v.length : v));
      }
    }
    scanRoutes(input, 0, input.length, session, scan);
    router.read(input);
    const f = new BmpFramer({ maxMessageLength: 1 << 16 });
    const cut = input.length >> 1;
    f.push(input.subarray(0, cut));
    f.push(input.subarray(cut));
    for (let guard = 0; guard < 100_000; guard++) {
      const r = f.next();
      if (r === false) break;
      if (r === true) session.decode(f.buffer, f.start, f.end);
    }
    f.finish();
  } catch (e) {
    stats.findings.push({
      input,
      kind: 'exception',
      problem: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  }
  return performance.now() - t0;
}

export function newStats(): FuzzStats {
  return { inputs: 0, decoded: 0, errors: {}, slowest_ms: 0, findings: [] };
}
