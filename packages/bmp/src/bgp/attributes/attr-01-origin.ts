/** ORIGIN (RFC 4271 §5.1.1). */

import type { Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import type { Origin } from '../../models/bgp.ts';

const ORIGINS: Origin[] = ['igp', 'egp', 'incomplete'];

export function decodeOrigin(b: Uint8Array, o: number, end: number): Origin {
  return end - o === 1 && b[o] <= 2 ? ORIGINS[b[o]] : badOrigin(o);
}

function badOrigin(o: number): never {
  return fault('BGP_ERR_UPDATE', o, 'ORIGIN must be one byte of 0, 1 or 2');
}

export function encodeOrigin(w: Writer, origin: Origin): void {
  w.u8(ORIGINS.indexOf(origin));
}
