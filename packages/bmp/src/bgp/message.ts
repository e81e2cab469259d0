/** The BGP message header (RFC 4271 §4.1): 16-byte marker, length, type; dispatch to the body decoders. */
import { fault } from '../errors.ts';
import type { BgpMessage } from '../models/bgp.ts';
import { BgpType } from '../models/iana.ts';
import { decodeNotification } from './notification.ts';
import { decodeOpen } from './open.ts';
import { decodeUpdate, type UpdateHints } from './update.ts';

export const BGP_HEADER_LENGTH = 19;

/**
 * Checks the header at `o` and returns the end of the message. The BGP length must fit in `end`; bytes after it
 * (some routers pad the BMP message) are ignored by the caller.
 */
export function bgpMessageEnd(b: Uint8Array, o: number, end: number): number {
  if (end - o < BGP_HEADER_LENGTH) return messageFault(b, o, end);
  const len = (b[o + 16] << 8) | b[o + 17];
  if (!markerOk(b, o) || len < BGP_HEADER_LENGTH || o + len > end) return messageFault(b, o, end);
  return o + len;
}

/** The 16-byte all-ones marker, as one AND (no loop). */
function markerOk(b: Uint8Array, o: number): boolean {
  return (
    (b[o] &
      b[o + 1] &
      b[o + 2] &
      b[o + 3] &
      b[o + 4] &
      b[o + 5] &
      b[o + 6] &
      b[o + 7] &
      b[o + 8] &
      b[o + 9] &
      b[o + 10] &
      b[o + 11] &
      b[o + 12] &
      b[o + 13] &
      b[o + 14] &
      b[o + 15]) ===
    0xff
  );
}

/** Which fault a bad header is (out of line, so the check above is small enough to inline). */
function messageFault(b: Uint8Array, o: number, end: number): never {
  if (end - o < BGP_HEADER_LENGTH) fault('BGP_ERR_LENGTH', o, 'BGP message shorter than its 19-byte header');
  if (!markerOk(b, o)) fault('BGP_ERR_MARKER', o);
  const len = (b[o + 16] << 8) | b[o + 17];
  return fault('BGP_ERR_LENGTH', o + 16, `BGP length ${len} does not fit the ${end - o} bytes available`);
}

export function decodeBgpMessage(b: Uint8Array, o: number, end: number, hints: UpdateHints): BgpMessage {
  const msgEnd = bgpMessageEnd(b, o, end);
  const type = b[o + 18];
  const body = o + BGP_HEADER_LENGTH;
  switch (type) {
    case BgpType.UPDATE:
      return decodeUpdate(b, body, msgEnd, hints);
    case BgpType.OPEN:
      return decodeOpen(b, body, msgEnd);
    case BgpType.NOTIFICATION:
      return decodeNotification(b, body, msgEnd);
    case BgpType.KEEPALIVE:
      return { kind: 'keepalive' };
    case BgpType.ROUTE_REFRESH:
      if (msgEnd - body !== 4) fault('BGP_ERR_LENGTH', body, 'ROUTE-REFRESH body must be 4 bytes');
      return {
        kind: 'route_refresh',
        afi: (b[body] << 8) | b[body + 1],
        subtype: b[body + 2],
        safi: b[body + 3],
      };
    default:
      return { kind: 'other', bgpType: type, body: b.subarray(body, msgEnd) };
  }
}
