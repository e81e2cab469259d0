/** OpenBMP v1.7 headers: every field, interleaved routers (neither the per-field memo nor the router map may mix them up). */
import { describe, expect, it } from 'vitest';
import { encodeBmp, wrapOpenBmp } from '../src/encode/index.ts';
import { BmpError, decodeOpenBmp, OpenBmpRouters } from '../src/index.ts';

const bmp = encodeBmp({ type: 'initiation', information: [{ type: 2, value: 'r' }] });
const routers = [
  {
    adminId: 'collector-a',
    routerIp: '192.0.2.1',
    routerHash: 'aa'.repeat(16),
    collectorHash: '01'.repeat(16),
    routerGroup: 'g1',
  },
  {
    adminId: 'collector-b',
    routerIp: '2001:db8::1',
    routerHash: 'bb'.repeat(16),
    collectorHash: '02'.repeat(16),
    routerGroup: '',
  },
  {
    adminId: 'collector-a',
    routerIp: '192.0.2.2',
    routerHash: 'cc'.repeat(16),
    collectorHash: '01'.repeat(16),
    routerGroup: 'g1',
  },
  {
    adminId: 'c',
    routerIp: null,
    routerHash: 'dd'.repeat(16),
    collectorHash: '03'.repeat(16),
    routerGroup: 'x',
  },
];

describe('OpenBMP header', () => {
  it('decodes every field, for routers in any order', () => {
    const map = new OpenBmpRouters({ identify: (h) => h });
    for (let round = 0; round < 3; round++) {
      for (const [i, r] of [...routers.entries()].reverse().concat([...routers.entries()])) {
        const bytes = wrapOpenBmp(bmp, { ...r, collectionTime: 1700000000 + i + 0.25 });
        const m = decodeOpenBmp(bytes);
        if (m instanceof BmpError) throw m;
        expect(m.header).toMatchObject({
          majorVersion: 1,
          minorVersion: 7,
          objectType: 12,
          adminId: r.adminId,
          routerIp: r.routerIp,
          routerHash: r.routerHash,
          collectorHash: r.collectorHash,
          routerGroup: r.routerGroup,
          collectionTime: 1700000000 + i + 0.25,
          rowCount: 1,
          bmpLength: bmp.length,
        });
        expect(m.message).toMatchObject({ type: 'initiation' });
        const router = map.read(bytes);
        if (router instanceof BmpError) throw router;
        expect(router.value).toMatchObject({
          routerHash: r.routerHash,
          routerIp: r.routerIp,
          adminId: r.adminId,
        });
        expect(map.span).toMatchObject({ bmpStart: m.header.headerLength, bmpEnd: bytes.length });
      }
    }
  });

  it('finds the BMP message by the header-length field, not by its own sum', () => {
    const bytes = wrapOpenBmp(bmp, { adminId: 'a', routerIp: '192.0.2.1', collectionTime: 1 });
    // Grow the header by 4 bytes (a future field) and say so in the header length.
    const hl = (bytes[6] << 8) | bytes[7];
    const grown = Uint8Array.from([...bytes.subarray(0, hl), 9, 9, 9, 9, ...bytes.subarray(hl)]);
    grown[6] = (hl + 4) >> 8;
    grown[7] = (hl + 4) & 255;
    const m = decodeOpenBmp(grown);
    expect(m).not.toBeInstanceOf(BmpError);
    expect((m as { message: { type: string } }).message.type).toBe('initiation');
  });
});
