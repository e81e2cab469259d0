/** Typed errors with codes and offsets; RFC 7606 verdicts reported on the update while the rest decodes. */
import { describe, expect, it } from 'vitest';
import { encodeBmp, wrapOpenBmp } from '../src/encode/index.ts';
import { BmpError, type BmpMessage, decodeBmp, decodeOpenBmp, type RouteMonitoring } from '../src/index.ts';

const peer = { address: '192.0.2.1', asn: 65001, bgpId: '192.0.2.1', timestamp: 1 };
const attrs = {
  origin: 'igp' as const,
  asPath: [{ type: 'sequence' as const, asns: [65001, 64500] }],
  nextHop: '192.0.2.1',
  med: 5,
};

function rm(
  update: Parameters<typeof encodeBmp>[0] extends infer T
    ? T extends { type: 'route_monitoring'; update: infer U }
      ? U
      : never
    : never,
) {
  return encodeBmp({ type: 'route_monitoring', peer, update });
}

/** Finds an attribute by code in an encoded route monitoring message; returns the offset of its flags byte. */
function attrOffset(bytes: Uint8Array, code: number): number {
  const u = 6 + 42 + 19;
  const wl = (bytes[u] << 8) | bytes[u + 1];
  let p = u + 2 + wl + 2;
  for (;;) {
    const ext = (bytes[p] & 0x10) !== 0;
    const len = ext ? (bytes[p + 2] << 8) | bytes[p + 3] : bytes[p + 2];
    if (bytes[p + 1] === code) return p;
    p += (ext ? 4 : 3) + len;
  }
}

function asRm(m: BmpMessage | BmpError): RouteMonitoring {
  if (m instanceof BmpError || m.type !== 'route_monitoring')
    throw new Error(`not a route monitoring: ${String(m)}`);
  return m;
}

describe('framing errors are typed, with offsets', () => {
  it('truncated input', () => {
    const b = rm({ announced: ['10.0.0.0/8'], attributes: attrs });
    const e = decodeBmp(b.subarray(0, b.length - 3));
    expect(e).toBeInstanceOf(BmpError);
    expect((e as BmpError).code).toBe('BMP_ERR_TRUNCATED');
    expect((e as BmpError).bmpType).toBe(0);
  });

  it('bad version, bad type, bad BGP marker, bad BGP length', () => {
    const b = rm({ announced: ['10.0.0.0/8'], attributes: attrs });
    const v = b.slice();
    v[0] = 2;
    expect((decodeBmp(v) as BmpError).code).toBe('BMP_ERR_VERSION');
    const t = b.slice();
    t[5] = 9;
    expect((decodeBmp(t) as BmpError).code).toBe('BMP_ERR_TYPE');
    const mk = b.slice();
    mk[6 + 42 + 3] = 0;
    expect(decodeBmp(mk)).toMatchObject({ code: 'BGP_ERR_MARKER', offset: 6 + 42 });
    const bl = b.slice();
    bl[6 + 42 + 16] = 0xff;
    expect((decodeBmp(bl) as BmpError).code).toBe('BGP_ERR_LENGTH');
  });

  it('NLRI with a prefix length beyond the family', () => {
    const b = rm({ announced: ['10.0.0.0/8'], attributes: attrs });
    b[b.length - 2] = 33;
    expect((decodeBmp(b) as BmpError).code).toBe('BGP_ERR_NLRI');
  });

  it('OpenBMP: legacy text header, bad magic, other object types', () => {
    const text = new TextEncoder().encode('V: 1.7\nC_HASH_ID: x\n\n');
    expect((decodeOpenBmp(text) as BmpError).code).toBe('OBMP_ERR_TEXT_HEADER');
    expect((decodeOpenBmp(Uint8Array.from([1, 2, 3, 4, 5])) as BmpError).code).toBe('OBMP_ERR_MAGIC');
    const o = wrapOpenBmp(rm({ withdrawn: ['10.0.0.0/8'] }), {
      collectionTime: 1,
      adminId: 'c',
      routerIp: '192.0.2.9',
    });
    o[13] = 0;
    expect((decodeOpenBmp(o) as BmpError).code).toBe('OBMP_ERR_OBJECT_TYPE');
  });

  it('an error message says what and where', () => {
    const e = decodeBmp(Uint8Array.from([3, 0, 0, 0, 1, 0])) as BmpError;
    expect(e.code).toBe('BMP_ERR_LENGTH');
    expect(String(e)).toMatch(/BMP_ERR_LENGTH at byte 1/);
  });
});

describe('RFC 7606: malformed attributes', () => {
  it('bad ORIGIN → treat-as-withdraw, everything else still decoded', () => {
    const b = rm({ announced: ['10.0.0.0/8'], withdrawn: ['10.9.0.0/16'], attributes: attrs });
    b[attrOffset(b, 1) + 3] = 7;
    const m = asRm(decodeBmp(b));
    expect(m.update.treatAsWithdraw).toBe(true);
    expect(m.update.warnings).toMatchObject([
      { code: 'BGP_WARN_ATTRIBUTE', attr: 1, action: 'treat_as_withdraw' },
    ]);
    expect(m.update.announced.prefixes).toEqual(['10.0.0.0/8']);
    expect(m.update.withdrawn.prefixes).toEqual(['10.9.0.0/16']);
    expect(m.update.attributes.med).toBe(5);
    expect(m.update.attributes.unknown?.[0].code).toBe(1);
  });

  it('bad AGGREGATOR → attribute discard only', () => {
    const b = rm({
      announced: ['10.0.0.0/8'],
      attributes: { ...attrs, aggregator: { asn: 65001, address: '192.0.2.1' } },
    });
    const at = attrOffset(b, 7);
    // Declare the 8-byte aggregator 7 bytes long and make the next attribute start one byte earlier: rebuild.
    const bad = Uint8Array.from([
      ...b.subarray(0, at + 2),
      7,
      ...b.subarray(at + 3, at + 10),
      ...b.subarray(at + 11),
    ]);
    // Fix up the lengths: BMP, BGP, total attribute length (each one byte shorter).
    const dv = new DataView(bad.buffer);
    dv.setUint32(1, dv.getUint32(1) - 1);
    dv.setUint16(6 + 42 + 16, dv.getUint16(6 + 42 + 16) - 1);
    const u = 6 + 42 + 19;
    const wl = dv.getUint16(u);
    dv.setUint16(u + 2 + wl, dv.getUint16(u + 2 + wl) - 1);
    const m = asRm(decodeBmp(bad));
    expect(m.update.treatAsWithdraw).toBe(false);
    expect(m.update.attributes.aggregator).toBeNull();
    expect(m.update.warnings).toMatchObject([{ attr: 7, action: 'attribute_discard' }]);
  });

  it('duplicate attribute → the first is kept, the second discarded', () => {
    const b = rm({
      announced: ['10.0.0.0/8'],
      attributes: { ...attrs, unknown: [{ code: 4, flags: 0x80, value: Uint8Array.from([0, 0, 0, 9]) }] },
    });
    const m = asRm(decodeBmp(b));
    expect(m.update.attributes.med).toBe(5);
    expect(m.update.warnings).toMatchObject([
      { code: 'BGP_WARN_DUPLICATE', attr: 4, action: 'attribute_discard' },
    ]);
  });

  it('missing NEXT_HOP with IPv4 NLRI → treat-as-withdraw', () => {
    const m = asRm(decodeBmp(rm({ announced: ['10.0.0.0/8'], attributes: { origin: 'igp', asPath: [] } })));
    expect(m.update.treatAsWithdraw).toBe(true);
    expect(m.update.warnings).toMatchObject([{ code: 'BGP_WARN_MISSING', attr: 3 }]);
  });

  it('attribute overrunning the attribute field → treat-as-withdraw, NLRI still found', () => {
    const b = rm({ announced: ['10.0.0.0/8'], attributes: attrs });
    b[attrOffset(b, 4) + 2] = 200;
    const m = asRm(decodeBmp(b));
    expect(m.update.treatAsWithdraw).toBe(true);
    expect(m.update.announced.prefixes).toEqual(['10.0.0.0/8']);
  });

  it('End-of-RIB markers are recognised', () => {
    expect(asRm(decodeBmp(rm({}))).update.endOfRib).toEqual({ afi: 1, safi: 1 });
    const v6 = asRm(
      decodeBmp(
        rm({
          attributes: {
            mpUnreach: { afi: 2, safi: 1, nlri: { afi: 2, safi: 1, prefixes: [], pathIds: null }, raw: null },
          },
        }),
      ),
    );
    expect(v6.update.endOfRib).toEqual({ afi: 2, safi: 1 });
  });
});
