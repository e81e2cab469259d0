/** TCP framing: arbitrary chunking yields the same messages; garbage is skipped and reported; memory is bounded. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBmp, wrapOpenBmp } from '../src/encode/index.ts';
import { type BmpError, BmpFramer } from '../src/index.ts';

const capture = new Uint8Array(
  readFileSync(fileURLToPath(new URL('./fixtures/lab-gobgp.bmp', import.meta.url))),
);
/** The whole messages within the first ~200 kB of the capture. */
const raw = (() => {
  let end = 0;
  while (end < 200_000) end += new DataView(capture.buffer, capture.byteOffset + end + 1, 4).getUint32(0);
  return capture.subarray(0, end);
})();

function frames(framer: BmpFramer, out: string[], errors: BmpError[]): void {
  for (;;) {
    const r = framer.next();
    if (r === false) return;
    if (r !== true) {
      errors.push(r);
      continue;
    }
    out.push(
      `${framer.isOpenBmp ? 'o' : 'b'}:${framer.end - framer.start}:${framer.buffer[framer.start + 5]}`,
    );
  }
}

function whole(bytes: Uint8Array): string[] {
  const f = new BmpFramer();
  f.push(bytes);
  const out: string[] = [];
  frames(f, out, []);
  return out;
}

describe('BmpFramer', () => {
  const expected = whole(raw);

  it('frames a whole capture in one chunk', () => {
    expect(expected.length).toBeGreaterThan(500);
  });

  it('gives the same messages however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        const f = new BmpFramer();
        const out: string[] = [];
        const errors: BmpError[] = [];
        let at = 0;
        let i = 0;
        while (at < raw.length) {
          const n = sizes[i++ % sizes.length];
          f.push(raw.slice(at, at + n));
          at += n;
          frames(f, out, errors);
        }
        expect(errors).toEqual([]);
        expect(out).toEqual(expected);
        expect(f.finish()).toBeNull();
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('frames large chunks in place after a message that crosses into them, even in reused buffers', () => {
    // A small limit makes "large" small: chunks of 4 × (limit + 1280) bytes or more take the in-place path.
    const opts = { maxMessageLength: 8192 };
    // Where each message is in the stream, its length, type and last byte (read from the buffer given).
    const offsets = (f: BmpFramer, out: string[]) => {
      for (let r = f.next(); r !== false; r = f.next())
        if (r === true)
          out.push(`${f.frameOffset}:${f.end - f.start}:${f.buffer[f.start + 5]}:${f.buffer[f.end - 1]}`);
    };
    const want: string[] = [];
    const one = new BmpFramer(opts);
    one.push(raw);
    offsets(one, want);
    expect(want.length).toBe(expected.length);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const f = new BmpFramer(opts);
        const got: string[] = [];
        // Two buffers used in turn, as bmpwatch decode reads a file: each is overwritten two reads later.
        const buffers = [new Uint8Array(120_000), new Uint8Array(120_000)];
        let at = 0;
        for (let i = 0; at < raw.length; i++) {
          const n = Math.min(sizes[i % sizes.length], raw.length - at);
          const b = buffers[i % 2];
          b.set(raw.subarray(at, at + n));
          f.push(b.subarray(0, n));
          at += n;
          offsets(f, got);
        }
        expect(got).toEqual(want);
        expect(f.finish()).toBeNull();
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('handles one byte at a time', () => {
    const f = new BmpFramer();
    const out: string[] = [];
    const part = raw.subarray(0, 20_000);
    for (let i = 0; i < part.length; i++) {
      f.push(part.subarray(i, i + 1));
      frames(f, out, []);
    }
    expect(out).toEqual(whole(part));
  });

  it('returns views, not copies, for messages inside one chunk', () => {
    const f = new BmpFramer();
    f.push(raw);
    expect(f.next()).toBe(true);
    expect(f.buffer).toBe(raw);
  });

  it('skips garbage between messages, reports it once, and keeps every good message', () => {
    const m1 = encodeBmp({ type: 'initiation', information: [{ type: 2, value: 'r1' }] });
    const m2 = encodeBmp({ type: 'termination', information: [{ type: 0, value: 'bye' }] });
    const junk = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02]);
    const f = new BmpFramer();
    f.push(Uint8Array.from([...m1, ...junk, ...m2]));
    const out: string[] = [];
    const errors: BmpError[] = [];
    frames(f, out, errors);
    expect(out).toEqual([`b:${m1.length}:4`, `b:${m2.length}:5`]);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('BMP_ERR_MALFORMED');
    expect(errors[0].offset).toBe(m1.length);
    expect(f.skippedBytes).toBe(junk.length);
  });

  it('refuses lengths above the limit instead of buffering them', () => {
    const f = new BmpFramer({ maxMessageLength: 1000 });
    const hdr = Uint8Array.from([3, 0, 0x10, 0, 0, 0]); // 1 MiB declared
    f.push(hdr);
    f.push(new Uint8Array(5000));
    const errors: BmpError[] = [];
    frames(f, [], errors);
    expect(errors.length).toBeGreaterThan(0);
    expect(f.buffered).toBeLessThan(6000);
  });

  it('reports a truncated tail at the end of input', () => {
    const f = new BmpFramer();
    f.push(raw.subarray(0, 1000));
    frames(f, [], []);
    const tail = f.finish();
    expect(tail?.code).toBe('BMP_ERR_TRUNCATED');
  });

  it('frames OpenBMP-wrapped messages and tells them apart by magic', () => {
    const m = encodeBmp({ type: 'initiation', information: [{ type: 2, value: 'r1' }] });
    const o = wrapOpenBmp(m, { collectionTime: 1, adminId: 'c', routerIp: '192.0.2.1' });
    const out = whole(Uint8Array.from([...o, ...m, ...o]));
    expect(out).toEqual([`o:${m.length}:4`, `b:${m.length}:4`, `o:${m.length}:4`]);
  });
});
