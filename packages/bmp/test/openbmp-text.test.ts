/** OpenBMP 2.x text headers (obmp-collector): read like the binary form, framed in streams, refused clearly. */
import { describe, expect, it } from 'vitest';
import { encodeBmp, wrapOpenBmp } from '../src/encode/index.ts';
import { BmpError, BmpFramer, decodeOpenBmp, decodeStream } from '../src/index.ts';

const bmp = encodeBmp({ type: 'initiation', information: [{ type: 2, value: 'text-router' }] });
const enc = new TextEncoder();
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const text = (header: string, body = bmp) => concat(enc.encode(header), body);

describe('OpenBMP text header', () => {
  it('is written by the encoder and read back with the router identity', () => {
    for (const routerIp of ['192.0.2.7', '2001:db8::7']) {
      const bytes = wrapOpenBmp(bmp, {
        form: 'text',
        collectionTime: 5,
        adminId: 'ignored in text',
        collectorHash: '0A'.repeat(16),
        routerHash: 'cd'.repeat(16),
        routerIp,
      });
      const head = new TextDecoder().decode(bytes.subarray(0, bytes.length - bmp.length));
      expect(head).toBe(
        `V: 1.7\nC_HASH_ID: ${'0a'.repeat(16)}\nR_HASH: ${'cd'.repeat(16)}\nR_IP: ${routerIp}\nL: ${bmp.length}\n\n`,
      );
      const m = decodeOpenBmp(bytes);
      if (m instanceof BmpError) throw new Error(m.toString());
      expect(m.header).toMatchObject({
        form: 'text',
        majorVersion: 1,
        minorVersion: 7,
        headerLength: head.length,
        bmpLength: bmp.length,
        collectorHash: '0a'.repeat(16),
        routerHash: 'cd'.repeat(16),
        routerIp,
        adminId: '',
        routerGroup: '',
      });
      expect(m.message).toMatchObject({
        type: 'initiation',
        information: [{ type: 2, value: 'text-router' }],
      });
    }
  });

  it('accepts CRLF line ends, spaces, other keys and keys in any order; canonicalises the address', () => {
    const h = `V: 1.7\r\nX_EXTRA: whatever\r\nL:   ${bmp.length}  \r\nR_IP: 2001:DB8:0:0::1\r\nR_HASH: ${'EF'.repeat(16)}\r\n\r\n`;
    const m = decodeOpenBmp(text(h));
    if (m instanceof BmpError) throw new Error(m.toString());
    expect(m.header).toMatchObject({
      routerIp: '2001:db8::1',
      routerHash: 'ef'.repeat(16),
      collectorHash: '',
    });
    expect(m.message).toMatchObject({ type: 'initiation' });
  });

  it('gives a clear, typed error for each malformed header', () => {
    const L = `L: ${bmp.length}\n`;
    const R = `R_HASH: ${'ab'.repeat(16)}\nR_IP: 192.0.2.1\n`;
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['no L', text(`V: 1.7\n${R}\n`), 'OBMP_ERR_TEXT_HEADER', /no "L:"/],
      ['L not a number', text(`V: 1.7\n${R}L: 12x\n\n`), 'OBMP_ERR_TEXT_HEADER', /length "12x"/],
      ['version 2', text(`V: 2.0\n${R}${L}\n`), 'OBMP_ERR_VERSION', /version "2.0"/],
      ['no router', text(`V: 1.7\n${L}\n`), 'OBMP_ERR_TEXT_HEADER', /names no router/],
      ['bad address', text(`V: 1.7\nR_IP: 300.1.1.1\n${L}\n`), 'OBMP_ERR_TEXT_HEADER', /not an address/],
      ['line without colon', text(`V: 1.7\n${R}junk\n${L}\n`), 'OBMP_ERR_TEXT_HEADER', /without "KEY:"/],
      ['no empty line', text(`V: 1.7\n${R}${L}`, new Uint8Array(0)), 'BMP_ERR_TRUNCATED', /no empty line/],
      [
        'short body',
        text(`V: 1.7\n${R}${L}\n`, bmp.subarray(0, 5)),
        'BMP_ERR_TRUNCATED',
        /says \d+ BMP bytes/,
      ],
      [
        'endless header',
        enc.encode(`V: 1.7\n${'X: y\n'.repeat(400)}`),
        'OBMP_ERR_TEXT_HEADER',
        /no empty line within 1024/,
      ],
    ];
    for (const [name, bytes, code, detail] of cases) {
      const e = decodeOpenBmp(bytes);
      expect(e, name).toBeInstanceOf(BmpError);
      expect((e as BmpError).code, name).toBe(code);
      expect((e as BmpError).message, name).toMatch(detail);
    }
  });

  it('frames a stream of text-header messages, split anywhere, and mixed with the binary form', () => {
    const msgs: Uint8Array[] = [];
    for (let i = 0; i < 6; i++)
      msgs.push(
        wrapOpenBmp(bmp, {
          form: i % 2 === 0 ? 'text' : 'binary',
          collectionTime: 1,
          adminId: 'c',
          routerHash: (i % 3 === 0 ? 'aa' : 'bb').repeat(16),
          routerIp: i % 3 === 0 ? '192.0.2.1' : '192.0.2.2',
        }),
      );
    const all = concat(...msgs);
    for (const cut of [1, 3, 17, all.length >> 1]) {
      const f = new BmpFramer();
      const seen: number[] = [];
      for (let at = 0; at < all.length; at += cut) {
        f.push(all.subarray(at, Math.min(all.length, at + cut)));
        for (let r = f.next(); r !== false; r = f.next()) {
          expect(r).toBe(true);
          seen.push(f.end - f.start);
        }
      }
      expect(f.finish()).toBeNull();
      expect(seen).toEqual(msgs.map(() => bmp.length));
    }
    const items = [...decodeStream(all)];
    expect(items.map((i) => i.header?.form)).toEqual(['text', 'binary', 'text', 'binary', 'text', 'binary']);
    expect(items.every((i) => !(i.message instanceof BmpError))).toBe(true);
  });

  it('resynchronises on the next text header after garbage', () => {
    const good = wrapOpenBmp(bmp, { form: 'text', collectionTime: 1, adminId: '', routerIp: '192.0.2.3' });
    const items = [
      ...decodeStream(concat(Uint8Array.from([9, 9, 9]), good, enc.encode('V: nonsense\n'), good)),
    ];
    expect(items.map((i) => (i.message instanceof BmpError ? i.message.code : i.message.type))).toEqual([
      'BMP_ERR_MALFORMED',
      'initiation',
      'BMP_ERR_MALFORMED',
      'initiation',
    ]);
  });
});
