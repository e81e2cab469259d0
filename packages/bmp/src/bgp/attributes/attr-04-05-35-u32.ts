/** Attributes that are one 32-bit number: MULTI_EXIT_DISC (4), LOCAL_PREF (5), OTC (35, RFC 9234). */

import { checkMax, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import { u32 } from '../../read.ts';

export function decodeU32Attr(b: Uint8Array, o: number, end: number, name: string): number {
  if (end - o !== 4) fault('BGP_ERR_UPDATE', o, `${name} must be 4 bytes, got ${end - o}`);
  return u32(b, o);
}

export function encodeU32Attr(w: Writer, v: number, name: string): void {
  checkMax(name, v, 0xffffffff);
  w.u32(v);
}
