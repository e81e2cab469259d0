/** COMMUNITIES (RFC 1997): 32-bit values, high half the ASN. */

import { checkMax, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';

export function decodeCommunities(b: Uint8Array, o: number, end: number): number[] {
  const len = end - o;
  if ((len & 3) !== 0) badLength(o);
  const out = new Array<number>(len >> 2);
  for (let i = 0; o < end; o += 4, i++)
    out[i] = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  return out;
}

function badLength(o: number): never {
  return fault('BGP_ERR_UPDATE', o, 'COMMUNITIES length is not a multiple of 4');
}

export function encodeCommunities(w: Writer, communities: number[]): void {
  for (const c of communities) {
    checkMax('community', c, 0xffffffff);
    w.u32(c);
  }
}

/** A community as [asn, value] (RIS Live / CLI form). */
export function communityPair(c: number): [number, number] {
  return [c >>> 16, c & 0xffff];
}

export function communityFrom(asn: number, value: number): number {
  return ((asn & 0xffff) * 0x10000 + (value & 0xffff)) >>> 0;
}
