/** BMP common header (RFC 7854 §4.1): version 3, message length (including this header), type. */

import { checkMax, type Writer } from '../encode/writer.ts';
import { fault } from '../errors.ts';

export const COMMON_HEADER_LENGTH = 6;
export const BMP_VERSION = 3;
/**
 * Largest BMP message accepted. RFC 7854 sets no limit, but one BGP message is at most 64 KiB and a Peer Up
 * holds two OPENs plus TLVs; 1 MiB leaves room for vendor TLVs while bounding memory on hostile input.
 */
export const MAX_BMP_MESSAGE_LENGTH = 1 << 20;

/** Validates the header at `o` and returns the message length; faults on a bad version or length. */
export function readCommonHeader(
  b: Uint8Array,
  o: number,
  end: number,
  maxLength = MAX_BMP_MESSAGE_LENGTH,
): number {
  // Literals (6: header length, 3: version): module constants are run-time loads in optimized code.
  const len = end - o >= 6 ? ((b[o + 1] << 24) | (b[o + 2] << 16) | (b[o + 3] << 8) | b[o + 4]) >>> 0 : 0;
  return len >= 6 && len <= end - o && len <= maxLength && b[o] === 3
    ? len
    : headerFault(b, o, end, maxLength);
}

/** Which fault a bad header is (out of line: the check above stays small enough to inline). */
function headerFault(b: Uint8Array, o: number, end: number, maxLength: number): never {
  if (end - o < COMMON_HEADER_LENGTH) fault('BMP_ERR_TRUNCATED', o, 'BMP common header truncated');
  if (b[o] !== BMP_VERSION) fault('BMP_ERR_VERSION', o, `BMP version ${b[o]} (only version 3 is defined)`);
  const len = ((b[o + 1] << 24) | (b[o + 2] << 16) | (b[o + 3] << 8) | b[o + 4]) >>> 0;
  if (len < COMMON_HEADER_LENGTH || len > maxLength)
    fault('BMP_ERR_LENGTH', o + 1, `BMP message length ${len}`);
  return fault('BMP_ERR_TRUNCATED', o + 1, `BMP message of ${len} bytes, ${end - o} available`);
}

/** Writes a header with a zero length; `finishCommonHeader` patches the length once the body is written. */
export function startCommonHeader(w: Writer, type: number): number {
  const at = w.pos;
  w.u8(BMP_VERSION).u32(0).u8(type);
  return at;
}

export function finishCommonHeader(w: Writer, at: number): void {
  const len = w.pos - at;
  checkMax('BMP message length', len, 0xffffffff);
  w.patchU32(at + 1, len);
}
