/**
 * Capture files (raw BMP and/or OpenBMP raw_bmp messages, either header form) cut into messages with their
 * capture times: what the server's replay source and `bmpwatch produce` read. Pure: bytes in, items out.
 */
import type { BmpError } from './errors.ts';
import { BmpFramer } from './framer.ts';
import { openBmpCollectionTime } from './openbmp/header.ts';
import { seconds, u32 } from './read.ts';

export interface CaptureItem {
  bytes: Uint8Array;
  openBmp: boolean;
  /** Capture time in seconds. */
  t: number;
}

/** Frames a whole capture into messages with their capture times. Garbage is reported through `onError`. */
export function frameCapture(data: Uint8Array, onError: (err: BmpError) => void): CaptureItem[] {
  const framer = new BmpFramer({ format: 'auto' });
  framer.push(data);
  const items: CaptureItem[] = [];
  let t = 0;
  for (;;) {
    const r = framer.next();
    if (r === false) break;
    if (r !== true) {
      onError(r);
      continue;
    }
    const b = framer.buffer;
    // The binary OpenBMP header has a collection time; the text one has none, and raw BMP only the per-peer
    // header's timestamp, in the message types that have one (0, 1, 2, 3, 6: at bytes 34..41 of that header).
    const collected = framer.isOpenBmp ? openBmpCollectionTime(b, framer.frameStart) : null;
    if (collected !== null) t = collected;
    else {
      const type = b[framer.start + 5];
      if (type !== 4 && type !== 5 && framer.end - framer.start >= 6 + 42) {
        const sec = u32(b, framer.start + 6 + 34);
        if (sec > 0) t = seconds(sec, u32(b, framer.start + 6 + 38));
      }
    }
    const start = framer.isOpenBmp ? framer.frameStart : framer.start;
    items.push({ bytes: b.subarray(start, framer.end), openBmp: framer.isOpenBmp, t });
  }
  const tail = framer.finish();
  if (tail !== null) onError(tail);
  return items;
}
