/** Peer Up Notification (RFC 7854 §4.10): local address and ports, the two OPENs, optional information TLVs. */
import { formatIPv4, formatIPv6 } from '../../address.ts';
import { BGP_HEADER_LENGTH, bgpMessageEnd } from '../../bgp/message.ts';
import { decodeOpen } from '../../bgp/open.ts';
import { fault } from '../../errors.ts';
import type { BgpOpen } from '../../models/bgp.ts';
import type { PeerUp } from '../../models/bmp.ts';
import { BgpType, INFO_TLV_NAMES } from '../../models/iana.ts';
import { u16 } from '../../read.ts';
import { decodePerPeerHeader, PER_PEER_HEADER_LENGTH } from '../per-peer-header.ts';
import { decodeInfoTlvs } from '../tlv.ts';

function readOpen(b: Uint8Array, o: number, end: number, which: string): [BgpOpen, number] {
  const mEnd = bgpMessageEnd(b, o, end);
  if (b[o + 18] !== BgpType.OPEN)
    fault('BGP_ERR_TYPE', o + 18, `peer up ${which} message is BGP type ${b[o + 18]}, not OPEN`);
  return [decodeOpen(b, o + BGP_HEADER_LENGTH, mEnd), mEnd];
}

export function decodePeerUp(b: Uint8Array, o: number, end: number): PeerUp {
  const peer = decodePerPeerHeader(b, o, end);
  let p = o + PER_PEER_HEADER_LENGTH;
  if (p + 20 > end) fault('BMP_ERR_TRUNCATED', p, 'peer up local address and ports truncated');
  // The local address family follows the peer's V flag; an IPv4 one sits in the last 4 of 16 bytes.
  const localAddress = peer.ipv6 ? formatIPv6(b, p) : formatIPv4(b, p + 12);
  const localPort = u16(b, p + 16);
  const remotePort = u16(b, p + 18);
  p += 20;
  const [sentOpen, afterSent] = readOpen(b, p, end, 'sent OPEN');
  const [receivedOpen, afterReceived] = readOpen(b, afterSent, end, 'received OPEN');
  const information = decodeInfoTlvs(b, afterReceived, end, INFO_TLV_NAMES, (t) => t <= 4);
  return { type: 'peer_up', peer, localAddress, localPort, remotePort, sentOpen, receivedOpen, information };
}
