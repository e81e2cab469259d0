/**
 * The decoder's front door for whole buffers: raw BMP or OpenBMP-wrapped, one message or a stream.
 * Nothing here throws on bad bytes; failures are BmpError values.
 */
import { BmpError, toBmpError } from './errors.ts';
import { BmpFramer, type FramerOptions } from './framer.ts';
import type { BmpMessage } from './models/bmp.ts';
import type { OpenBmpHeader } from './models/openbmp.ts';
import { decodeOpenBmpHeader, isOpenBmp } from './openbmp/header.ts';
import { OpenBmpRouters } from './openbmp/routers.ts';
import { BmpSession, decodeBmp } from './session.ts';

export interface OpenBmpMessage {
  header: OpenBmpHeader;
  /** The decoded BMP message, or why it failed (the header itself was fine). */
  message: BmpMessage | BmpError;
}

/** Reads only the OpenBMP header (either form) of a raw_bmp message; the BMP message after it is not decoded. */
export function readOpenBmpHeader(bytes: Uint8Array): OpenBmpHeader | BmpError {
  try {
    return decodeOpenBmpHeader(bytes, 0, bytes.length);
  } catch (e) {
    return toBmpError(e, 0, null);
  }
}

/**
 * Decodes one OpenBMP raw_bmp message (a Kafka payload), once, with its whole header. `sessions`: the router's
 * BmpSession, or the stream's OpenBmpRouters (which pick the router's); none decodes statelessly.
 */
export function decodeOpenBmp(
  bytes: Uint8Array,
  sessions?: BmpSession | OpenBmpRouters<unknown>,
): OpenBmpMessage | BmpError {
  const header = readOpenBmpHeader(bytes);
  if (header instanceof BmpError) return header;
  const at = header.headerLength;
  const view = bytes.subarray(0, at + header.bmpLength);
  let session: BmpSession | undefined;
  if (sessions instanceof OpenBmpRouters) {
    const router = sessions.read(bytes);
    if (router instanceof BmpError) return router;
    session = router.session;
  } else session = sessions;
  return { header, message: session ? session.decode(view, at) : decodeBmp(view, at) };
}

export interface StreamItem {
  /** Byte offset of the message (its OpenBMP header, if wrapped) in the stream. */
  offset: number;
  header: OpenBmpHeader | null;
  message: BmpMessage | BmpError;
}

/**
 * Decodes a whole capture (raw BMP or OpenBMP, told apart per message by the magic) with per-router sessions.
 * Garbage between messages and a truncated tail are reported as BmpError items; decoding goes on after them.
 */
export function* decodeStream(bytes: Uint8Array, opts: FramerOptions = {}): Generator<StreamItem> {
  const framer = new BmpFramer(opts);
  framer.push(bytes);
  const routers = new OpenBmpRouters();
  const direct = new BmpSession();
  for (;;) {
    const r = framer.next();
    if (r === false) break;
    if (r !== true) {
      yield { offset: r.offset, header: null, message: r };
      continue;
    }
    const buf = framer.buffer;
    if (framer.isOpenBmp) {
      const m = decodeOpenBmp(buf.subarray(framer.frameStart, framer.end), routers);
      if (m instanceof BmpError) {
        yield { offset: framer.frameStart, header: null, message: shift(m, framer.frameStart) };
        continue;
      }
      yield {
        offset: framer.frameStart,
        header: m.header,
        message: shiftIfError(m.message, framer.frameStart),
      };
    } else {
      yield {
        offset: framer.start,
        header: null,
        message: shiftIfError(direct.decode(buf.subarray(framer.start, framer.end)), framer.start),
      };
    }
  }
  const tail = framer.finish();
  if (tail) yield { offset: tail.offset, header: null, message: tail };
}

function shift(e: BmpError, by: number): BmpError {
  return new BmpError(e.code, e.offset + by, e.message, e.bmpType);
}

function shiftIfError(m: BmpMessage | BmpError, by: number): BmpMessage | BmpError {
  return m instanceof BmpError ? shift(m, by) : m;
}

export { isOpenBmp };
