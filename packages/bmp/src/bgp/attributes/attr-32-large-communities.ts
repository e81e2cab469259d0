/** LARGE_COMMUNITY (RFC 8092): 12-byte (global admin, local 1, local 2) triples. */

import { checkMax, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import { u32 } from '../../read.ts';

export function decodeLargeCommunities(b: Uint8Array, o: number, end: number): [number, number, number][] {
  const len = end - o;
  if (len % 12 !== 0 || len === 0)
    fault('BGP_ERR_UPDATE', o, 'LARGE_COMMUNITY length is not a non-zero multiple of 12');
  const out = new Array<[number, number, number]>(len / 12);
  for (let i = 0; o < end; o += 12, i++) out[i] = [u32(b, o), u32(b, o + 4), u32(b, o + 8)];
  return out;
}

export function encodeLargeCommunities(w: Writer, list: [number, number, number][]): void {
  for (const [a, l1, l2] of list) {
    checkMax('large community global admin', a, 0xffffffff);
    checkMax('large community local 1', l1, 0xffffffff);
    checkMax('large community local 2', l2, 0xffffffff);
    w.u32(a).u32(l1).u32(l2);
  }
}
