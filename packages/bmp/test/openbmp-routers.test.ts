/** The router map of an OpenBMP stream: one session per router, found by header bytes, bounded. */
import { describe, expect, it } from 'vitest';
import { encodeBmp, typicalOpen, wrapOpenBmp } from '../src/encode/index.ts';
import { BmpError, decodeOpenBmpHeader, locateOpenBmp, OpenBmpRouters, OpenBmpSpan } from '../src/index.ts';
import { rng } from './fuzz/fuzz-core.ts';

const initiation = encodeBmp({ type: 'initiation', information: [{ type: 2, value: 'r' }] });
const hash = (n: number) => n.toString(16).padStart(2, '0').repeat(16);
const wrap = (form: 'binary' | 'text', routerHash: string, routerIp: string | null, t = 1) =>
  wrapOpenBmp(initiation, { form, adminId: 'c', routerHash, routerIp, collectionTime: t });

describe('OpenBmpRouters', () => {
  it('gives each router one entry, whatever else in the header changes, in either form', () => {
    const map = new OpenBmpRouters({ identify: (h) => h.routerIp });
    const seen = new Map<string, unknown>();
    for (let t = 0; t < 3; t++) {
      for (const form of ['binary', 'text'] as const) {
        for (const [h, ip] of [
          [hash(1), '192.0.2.1'],
          [hash(1), '192.0.2.2'],
          [hash(2), '192.0.2.1'],
          [hash(3), '2001:db8::1'],
        ] as const) {
          const r = map.read(wrap(form, h, ip, 1000 + t));
          if (r instanceof BmpError) throw r;
          expect(r.value).toBe(ip);
          const key = `${form} ${h} ${ip}`;
          if (t === 0) seen.set(key, r);
          else expect(r).toBe(seen.get(key));
        }
      }
    }
    expect(map.size).toBe(8);
    expect([...map].length).toBe(8);
  });

  it('tells an IPv4 router from the IPv6 one with the same 16 address bytes', () => {
    const map = new OpenBmpRouters({ identify: (h) => h.routerIp });
    const v4 = map.read(wrap('binary', hash(1), '10.0.0.1'));
    const v6 = map.read(wrap('binary', hash(1), 'a00:1::'));
    expect(v4).not.toBeInstanceOf(BmpError);
    expect(v6).not.toBe(v4);
  });

  it('keeps each router its own decoder session', () => {
    const map = new OpenBmpRouters();
    const a = map.read(wrap('binary', hash(1), '192.0.2.1'));
    const b = map.read(wrap('binary', hash(2), '192.0.2.1'));
    if (a instanceof BmpError || b instanceof BmpError) throw new Error('no router');
    const up = encodeBmp({
      type: 'peer_up',
      peer: { address: '198.51.100.1', asn: 65001, bgpId: '198.51.100.1', timestamp: 0 },
      localAddress: '192.0.2.1',
      localPort: 179,
      remotePort: 40000,
      sentOpen: typicalOpen(65000, '192.0.2.1'),
      receivedOpen: typicalOpen(65001, '198.51.100.1'),
    });
    const bytes = wrapOpenBmp(up, {
      adminId: 'c',
      routerHash: hash(1),
      routerIp: '192.0.2.1',
      collectionTime: 1,
    });
    expect(map.read(bytes)).toBe(a);
    a.session.decode(bytes, map.span.bmpStart, map.span.bmpEnd);
    expect(a.session.knownPeers).toBe(1);
    expect(b.session.knownPeers).toBe(0);
  });

  it('refuses routers beyond its bound with a typed error, and makes room after delete', () => {
    const map = new OpenBmpRouters({ identify: (h) => h.routerHash, maxRouters: 3 });
    for (let i = 0; i < 3; i++) expect(map.read(wrap('binary', hash(i), null))).not.toBeInstanceOf(BmpError);
    const refused = map.read(wrap('binary', hash(9), null));
    expect(refused).toMatchObject({ code: 'OBMP_ERR_ROUTERS' });
    // Known routers are still served.
    expect(map.read(wrap('binary', hash(1), null))).not.toBeInstanceOf(BmpError);
    expect(map.delete((r) => r.value === hash(1))).toBe(1);
    expect(map.size).toBe(2);
    expect(map.read(wrap('binary', hash(9), null))).not.toBeInstanceOf(BmpError);
  });

  it('adds no router whose header does not decode (a text R_IP that is no address)', () => {
    const map = new OpenBmpRouters();
    const bad = wrap('text', hash(1), '192.0.2.1');
    const text = new TextDecoder().decode(bad).replace('192.0.2.1', 'not-an-ip');
    const r = map.read(new TextEncoder().encode(text));
    expect(r).toBeInstanceOf(BmpError);
    expect(map.size).toBe(0);
  });
});

describe('locateOpenBmp', () => {
  it('accepts exactly what decodeOpenBmpHeader accepts, with the same error code', () => {
    const r = rng(13);
    const seeds = [
      wrap('binary', hash(1), '192.0.2.1'),
      wrap('binary', hash(2), '2001:db8::2'),
      wrap('binary', hash(3), null),
      wrap('text', hash(4), '192.0.2.4'),
    ];
    const span = new OpenBmpSpan();
    for (let i = 0; i < 20_000; i++) {
      const b = seeds[Math.floor(r() * seeds.length)].slice();
      // Flip a byte of the header (or cut the input short) to reach every check.
      if (r() < 0.2) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      else b[Math.floor(r() * 90)] = Math.floor(r() * 256);
      const input = r() < 0.1 ? b.subarray(0, Math.floor(r() * b.length)) : b;
      let full: string | null = null;
      let header: ReturnType<typeof decodeOpenBmpHeader> | null = null;
      try {
        header = decodeOpenBmpHeader(input, 0, input.length);
      } catch (e) {
        full = (e as { code: string }).code;
      }
      const fast = locateOpenBmp(input, 0, input.length, span);
      if (header !== null) {
        expect(fast).toBeNull();
        expect(span.bmpStart).toBe(header.headerLength);
        expect(span.bmpEnd).toBe(header.headerLength + header.bmpLength);
      } else if (fast === null) {
        // A text header's router address is checked when the router is first seen, not per message.
        expect(full).toBe('OBMP_ERR_TEXT_HEADER');
      } else expect(fast.code).toBe(full);
    }
  });
});
