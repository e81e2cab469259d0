/** Peer Down Notification (RFC 7854 §4.9, reason 6 from RFC 9069). */

import { BGP_HEADER_LENGTH, bgpMessageEnd } from '../../bgp/message.ts';
import { decodeNotification } from '../../bgp/notification.ts';
import { fault } from '../../errors.ts';
import type { PeerDown } from '../../models/bmp.ts';
import { BgpType, PEER_DOWN_REASONS } from '../../models/iana.ts';
import { u16 } from '../../read.ts';
import { decodePerPeerHeader, PER_PEER_HEADER_LENGTH } from '../per-peer-header.ts';

export function decodePeerDown(b: Uint8Array, o: number, end: number): PeerDown {
  const peer = decodePerPeerHeader(b, o, end);
  const p = o + PER_PEER_HEADER_LENGTH;
  if (p >= end) fault('BMP_ERR_TRUNCATED', p, 'peer down reason missing');
  const reason = b[p];
  const reasonName = PEER_DOWN_REASONS[reason] ?? `reason_${reason}`;
  let notification = null;
  let fsmCode = null;
  let data = null;
  if (reason === 1 || reason === 3) {
    const mEnd = bgpMessageEnd(b, p + 1, end);
    if (b[p + 1 + 18] !== BgpType.NOTIFICATION)
      fault('BGP_ERR_TYPE', p + 19, 'peer down data is not a NOTIFICATION');
    notification = decodeNotification(b, p + 1 + BGP_HEADER_LENGTH, mEnd);
  } else if (reason === 2) {
    if (p + 3 > end) fault('BMP_ERR_TRUNCATED', p + 1, 'peer down FSM event code truncated');
    fsmCode = u16(b, p + 1);
  } else if (p + 1 < end) {
    data = b.subarray(p + 1, end);
  }
  return { type: 'peer_down', peer, reason, reasonName, notification, fsmCode, data };
}
