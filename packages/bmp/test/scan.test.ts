/** The fast path must agree with the full decoder: same prefixes, same announce/withdraw verdicts, same origin. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBmp } from '../src/encode/index.ts';
import {
  BmpError,
  BmpFramer,
  type BmpMessage,
  BmpSession,
  decodeBmp,
  originAsn,
  RouteScan,
  routeElems,
  scanRoutes,
  statelessHints,
} from '../src/index.ts';
import { peerHeader, updateCase } from './support/arbitraries.ts';
import { scanEntries } from './support/scan-view.ts';

function expectedEntries(m: BmpMessage): string[] {
  if (m.type !== 'route_monitoring') return [];
  return routeElems(m).map((e) => `${e.type} ${e.prefix} ${e.path_id ?? 0}`);
}

function compare(bytes: Uint8Array, start: number, end: number, session: BmpSession, scan: RouteScan): void {
  // Scan first: the full decode teaches the session (Peer Up), and the scan must not depend on that order.
  const code = scanRoutes(bytes, start, end, session, scan);
  const m = session.decode(bytes, start, end);
  if (m instanceof BmpError) {
    expect(code).toBe(m.code);
    return;
  }
  expect(code).toBeNull();
  if (m.type !== 'route_monitoring') {
    expect(scan.bmpType).not.toBe(0);
    return;
  }
  expect(scanEntries(scan)).toEqual(expectedEntries(m));
  expect(scan.treatAsWithdraw).toBe(m.update.treatAsWithdraw);
  expect(scan.endOfRib).toBe(m.update.endOfRib !== null);
  if (!m.update.treatAsWithdraw) {
    expect(scan.originAsn).toBe(originAsn(m.update.attributes.asPath) ?? -1);
    // The AS_PATH position and width the scan reports read back as the decoder's path (before any AS4 merge).
    if (scan.asnWidth !== 0 && m.update.attributes.as4Path === null) {
      const asns: number[] = [];
      for (let p = scan.asPathStart; p < scan.asPathEnd; ) {
        const n = bytes[p + 1];
        p += 2;
        for (let i = 0; i < n; i++, p += scan.asnWidth) {
          asns.push(
            scan.asnWidth === 4
              ? new DataView(bytes.buffer, bytes.byteOffset + p, 4).getUint32(0)
              : (bytes[p] << 8) | bytes[p + 1],
          );
        }
      }
      expect(asns).toEqual((m.update.attributes.asPath ?? []).flatMap((s) => s.asns));
    }
  }
  expect(scan.peerAsn).toBe(m.peer.asn);
  expect(scan.timestamp).toBe(m.peer.timestamp);
}

describe('scanRoutes', () => {
  it('agrees with the full decoder on the whole lab capture', () => {
    const raw = new Uint8Array(
      readFileSync(fileURLToPath(new URL('./fixtures/lab-gobgp.bmp', import.meta.url))),
    );
    const framer = new BmpFramer();
    framer.push(raw);
    const session = new BmpSession();
    const scan = new RouteScan();
    let n = 0;
    while (framer.next() === true) {
      compare(framer.buffer, framer.start, framer.end, session, scan);
      n++;
    }
    expect(n).toBeGreaterThan(10_000);
  });

  it('agrees on generated updates (2/4-byte paths, ADD-PATH, all attributes)', () => {
    fc.assert(
      fc.property(peerHeader(), updateCase, (peer, c) => {
        const bytes = encodeBmp({ type: 'route_monitoring', peer, update: c.update });
        compare(bytes, 0, bytes.length, new BmpSession(), new RouteScan());
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('agrees on mutated bytes (errors, RFC 7606 verdicts)', () => {
    fc.assert(
      fc.property(
        peerHeader(),
        updateCase,
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (peer, c, flips) => {
          const bytes = encodeBmp({ type: 'route_monitoring', peer, update: c.update });
          for (const [at, v] of flips) bytes[48 + (at % Math.max(1, bytes.length - 48))] = v;
          compare(bytes, 0, bytes.length, new BmpSession(), new RouteScan());
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('grows its arrays for large updates and reuses them after', () => {
    const prefixes = Array.from({ length: 500 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const bytes = encodeBmp({
      type: 'route_monitoring',
      peer: { address: '192.0.2.1', asn: 65001, bgpId: '192.0.2.1', timestamp: 1 },
      update: {
        announced: prefixes,
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [65001, 65002] }],
          nextHop: '192.0.2.1',
        },
      },
    });
    const scan = new RouteScan();
    expect(scanRoutes(bytes, 0, bytes.length, statelessHints, scan)).toBeNull();
    expect(scan.count).toBe(500);
    expect(scan.originAsn).toBe(65002);
    const m = decodeBmp(bytes);
    expect(scanEntries(scan)).toEqual(expectedEntries(m as BmpMessage));
  });
});
