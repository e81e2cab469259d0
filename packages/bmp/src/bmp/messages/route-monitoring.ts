/** Route Monitoring (RFC 7854 §4.6): per-peer header + one BGP UPDATE. */

import { bgpMessageEnd } from '../../bgp/message.ts';
import { decodeUpdate, type UpdateHints } from '../../bgp/update.ts';
import { fault } from '../../errors.ts';
import type { PerPeerHeader, RouteMonitoring } from '../../models/bmp.ts';
import { decodePerPeerHeader } from '../per-peer-header.ts';

/** Where the decoder learns a peer's encodings: a BmpSession, or the stateless flag-only rules. */
export interface HintSource {
  hintsFor(peer: PerPeerHeader): UpdateHints;
  /**
   * The same from the raw per-peer header at `perPeerHeader` (cheaper: no strings needed for IPv4 peers);
   * `peer`, when the caller has decoded that header already, saves decoding it again for the other peers.
   */
  hintsAt(b: Uint8Array, perPeerHeader: number, peer?: PerPeerHeader): UpdateHints;
}

export function decodeRouteMonitoring(
  b: Uint8Array,
  o: number,
  end: number,
  hints: HintSource,
): RouteMonitoring {
  const peer = decodePerPeerHeader(b, o, end);
  // 42 (PER_PEER_HEADER_LENGTH) and 19 (BGP_HEADER_LENGTH) as literals: imported constants are run-time loads.
  const m = o + 42;
  const msgEnd = bgpMessageEnd(b, m, end);
  if (b[m + 18] !== 2 /* BgpType.UPDATE */)
    fault('BGP_ERR_TYPE', m + 18, `Route Monitoring carries BGP type ${b[m + 18]}, not UPDATE`);
  const update = decodeUpdate(b, m + 19, msgEnd, hints.hintsAt(b, o, peer));
  return { type: 'route_monitoring', peer, update };
}
