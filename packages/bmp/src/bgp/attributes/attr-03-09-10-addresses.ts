/** Attributes that are IPv4 addresses: NEXT_HOP (3), ORIGINATOR_ID (9), CLUSTER_LIST (10, a list of ids). */
import { formatIPv4, formatIPv4Cached, parseIPv4 } from '../../address.ts';
import type { Writer } from '../../encode/writer.ts';
import { EncodeError } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';

export function decodeIPv4Attr(b: Uint8Array, o: number, end: number, name: string): string {
  return end - o === 4 ? formatIPv4Cached(b, o) : notFourBytes(o, end, name);
}

/** Out of line (with its message template) so the decoders above stay small enough to inline. */
export function notFourBytes(o: number, end: number, name: string): never {
  return fault('BGP_ERR_UPDATE', o, `${name} must be 4 bytes, got ${end - o}`);
}

export function decodeClusterList(b: Uint8Array, o: number, end: number): string[] {
  if ((end - o) % 4 !== 0) fault('BGP_ERR_UPDATE', o, 'CLUSTER_LIST length is not a multiple of 4');
  const ids = new Array<string>((end - o) >> 2);
  for (let i = 0; o < end; o += 4, i++) ids[i] = formatIPv4(b, o);
  return ids;
}

export function encodeIPv4(w: Writer, addr: string, field: string): void {
  const bytes = parseIPv4(addr);
  if (!bytes) throw new EncodeError(`${field} (not an IPv4 address: ${addr})`, 0, 0);
  w.bytes(bytes);
}
