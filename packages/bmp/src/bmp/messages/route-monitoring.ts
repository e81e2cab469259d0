/** Route Monitoring (RFC 7854 §4.6): per-peer header + one BGP UPDATE. */

import { BGP_HEADER_LENGTH, bgpMessageEnd } from '../../bgp/message.ts';
import { decodeUpdate, type UpdateHints } from '../../bgp/update.ts';
import { fault } from '../../errors.ts';
import type { PerPeerHeader, RouteMonitoring } from '../../models/bmp.ts';
import { decodePerPeerHeader, PER_PEER_HEADER_LENGTH } from '../per-peer-header.ts';

/** Where the decoder learns a peer's encodings: a BmpSession, or the stateless flag-only rules. */
export interface HintSource {
  hintsFor(peer: PerPeerHeader): UpdateHints;
  /** The same from the raw per-peer header at `perPeerHeader` (cheaper: no strings needed). */
  hintsAt(b: Uint8Array, perPeerHeader: number): UpdateHints;
}

export function decodeRouteMonitoring(
  b: Uint8Array,
  o: number,
  end: number,
  hints: HintSource,
): RouteMonitoring {
  const peer = decodePerPeerHeader(b, o, end);
  const m = o + PER_PEER_HEADER_LENGTH;
  const msgEnd = bgpMessageEnd(b, m, end);
  if (b[m + 18] !== 2 /* BgpType.UPDATE */)
    fault('BGP_ERR_TYPE', m + 18, `Route Monitoring carries BGP type ${b[m + 18]}, not UPDATE`);
  const update = decodeUpdate(b, m + BGP_HEADER_LENGTH, msgEnd, hints.hintsAt(b, o));
  return { type: 'route_monitoring', peer, update };
}
