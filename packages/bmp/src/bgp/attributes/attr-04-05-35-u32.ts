/** Attributes that are one 32-bit number: MULTI_EXIT_DISC (4), LOCAL_PREF (5), OTC (35, RFC 9234). */

import { checkMax, type Writer } from '../../encode/writer.ts';
import { u32 } from '../../read.ts';
import { notFourBytes } from './attr-03-09-10-addresses.ts';

export function decodeU32Attr(b: Uint8Array, o: number, end: number, name: string): number {
  return end - o === 4 ? u32(b, o) : notFourBytes(o, end, name);
}

export function encodeU32Attr(w: Writer, v: number, name: string): void {
  checkMax(name, v, 0xffffffff);
  w.u32(v);
}
