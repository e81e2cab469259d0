/** Route Mirroring (RFC 7854 §4.7): per-peer header, then TLVs holding a BGP message or an information code. */

import { decodeBgpMessage } from '../../bgp/message.ts';
import { UNKNOWN_HINTS } from '../../bgp/update.ts';
import { Fault, fault } from '../../errors.ts';
import type { RouteMirroring } from '../../models/bmp.ts';
import { MirrorTlv } from '../../models/iana.ts';
import { u16 } from '../../read.ts';
import { decodePerPeerHeader, PER_PEER_HEADER_LENGTH } from '../per-peer-header.ts';

export function decodeRouteMirroring(b: Uint8Array, o: number, end: number): RouteMirroring {
  const peer = decodePerPeerHeader(b, o, end);
  const tlvs: RouteMirroring['tlvs'] = [];
  let p = o + PER_PEER_HEADER_LENGTH;
  while (p < end) {
    if (p + 4 > end) fault('BMP_ERR_MALFORMED', p, 'route mirroring TLV header truncated');
    const type = u16(b, p);
    const v = p + 4;
    const vEnd = v + u16(b, p + 2);
    if (vEnd > end) fault('BMP_ERR_MALFORMED', p, `route mirroring TLV type ${type} overruns the message`);
    const raw = b.subarray(v, vEnd);
    if (type === MirrorTlv.BGP_MESSAGE) {
      // A mirrored message may be the very errored PDU being reported: keep it raw if it doesn't decode.
      try {
        tlvs.push({ type: 0, message: decodeBgpMessage(b, v, vEnd, UNKNOWN_HINTS), error: null, raw });
      } catch (e) {
        if (!(e instanceof Fault)) throw e;
        tlvs.push({ type: 0, message: null, error: `${e.code}: ${e.detail}`, raw });
      }
    } else if (type === MirrorTlv.INFORMATION && raw.length >= 2) {
      tlvs.push({ type: 1, code: u16(b, v), raw });
    } else {
      tlvs.push({ type, raw });
    }
    p = vEnd;
  }
  return { type: 'route_mirroring', peer, tlvs };
}
