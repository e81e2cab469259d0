/** BMP per-peer header (RFC 7854 §4.2; O flag RFC 8671; Loc-RIB RFC 9069): 42 bytes before most bodies. */
import { formatIPv4, formatIPv4Cached, formatIPv6Cached, parseIP, parseIPv4 } from '../address.ts';
import { checkMax, EncodeError, type Writer } from '../encode/writer.ts';
import { fault } from '../errors.ts';
import type { PerPeerHeader } from '../models/bmp.ts';
import { PEER_TYPE_NAMES, PeerFlag } from '../models/iana.ts';
import { seconds, u16, u32 } from '../read.ts';

export const PER_PEER_HEADER_LENGTH = 42;
/** A module-local copy: imported bindings are loaded at run time on every use in optimized code. */
const PEER_TYPES = PEER_TYPE_NAMES.slice();
const LOC_RIB = 3;

/** Route distinguisher text (RFC 4364 §4.2): type 0 "asn:n", type 1 "ip:n", type 2 "asn4:n"; zero is "0:0". */
export function formatDistinguisher(b: Uint8Array, o: number): string {
  const type = u16(b, o);
  if (type === 0) return u16(b, o + 2) + ':' + u32(b, o + 4);
  if (type === 1) return formatIPv4(b, o + 2) + ':' + u16(b, o + 6);
  if (type === 2) return u32(b, o + 2) + ':' + u16(b, o + 6);
  return type + ':' + u16(b, o + 2) + ':' + u32(b, o + 4);
}

/** Whether the 8-byte route distinguisher at `o` is zero (the usual global-instance peer). */
export function zeroDistinguisher(b: Uint8Array, o: number): boolean {
  return (b[o] | b[o + 1] | b[o + 2] | b[o + 3] | b[o + 4] | b[o + 5] | b[o + 6] | b[o + 7]) === 0;
}

/** "0:0" for the usual zero distinguisher, else its text. */
function distinguisherText(b: Uint8Array, o: number): string {
  return zeroDistinguisher(b, o) ? '0:0' : formatDistinguisher(b, o);
}

function truncated(o: number): never {
  return fault('BMP_ERR_TRUNCATED', o, 'per-peer header truncated');
}

export function decodePerPeerHeader(b: Uint8Array, o: number, end: number): PerPeerHeader {
  if (end - o < PER_PEER_HEADER_LENGTH) truncated(o);
  const typeCode = b[o];
  const flags = b[o + 1];
  // Loc-RIB (RFC 9069) reuses the flag bits: F where L is, and no V, A or O.
  const peerFlags = typeCode === LOC_RIB ? 0 : flags;
  // Flag bits as literals (PeerFlag: V 0x80, L 0x40, A 0x20, O 0x10; Loc-RIB F 0x80): imported constants are
  // loaded at run time in optimized code, literals fold.
  const ipv6 = (peerFlags & 0x80) !== 0;
  return {
    peerType: typeCode < 4 ? PEER_TYPES[typeCode] : 'unknown',
    peerTypeCode: typeCode,
    flags,
    ipv6,
    postPolicy: (peerFlags & 0x40) !== 0,
    legacyAsPath: (peerFlags & 0x20) !== 0,
    adjRibOut: (peerFlags & 0x10) !== 0,
    filtered: typeCode === LOC_RIB && (flags & 0x80) !== 0,
    distinguisher: distinguisherText(b, o + 2),
    address: ipv6 ? formatIPv6Cached(b, o + 10) : formatIPv4Cached(b, o + 22),
    asn: ((b[o + 26] << 24) | (b[o + 27] << 16) | (b[o + 28] << 8) | b[o + 29]) >>> 0,
    bgpId: formatIPv4Cached(b, o + 30),
    timestamp: seconds(u32(b, o + 34), u32(b, o + 38)),
  };
}

export type PerPeerHeaderInput = Pick<PerPeerHeader, 'address' | 'asn' | 'bgpId' | 'timestamp'> &
  Partial<
    Pick<
      PerPeerHeader,
      | 'peerType'
      | 'peerTypeCode'
      | 'postPolicy'
      | 'legacyAsPath'
      | 'adjRibOut'
      | 'filtered'
      | 'distinguisher'
      | 'flags'
    >
  >;

function encodeDistinguisher(w: Writer, text: string): void {
  const m = /^(?:(\d+):)?([^:]+):(\d+)$/.exec(text);
  if (text === '0:0' || !m) {
    if (text !== '0:0') throw new EncodeError(`distinguisher "${text}"`, 0, 0);
    w.zeros(8);
    return;
  }
  const v4 = parseIPv4(m[2]);
  if (v4) {
    w.u16(1).bytes(v4).u16(Number(m[3]));
  } else if (Number(m[2]) > 0xffff) {
    w.u16(2).u32(Number(m[2])).u16(Number(m[3]));
  } else {
    w.u16(0).u16(Number(m[2])).u32(Number(m[3]));
  }
}

export function encodePerPeerHeader(w: Writer, h: PerPeerHeaderInput): void {
  const typeCode =
    h.peerTypeCode ?? (h.peerType && h.peerType !== 'unknown' ? PEER_TYPE_NAMES.indexOf(h.peerType) : 0);
  const locRib = typeCode === LOC_RIB;
  const addr = parseIP(h.address);
  if (!addr) throw new EncodeError(`peer address "${h.address}"`, 0, 0);
  let flags = h.flags ?? 0;
  if (h.flags === undefined) {
    if (locRib) flags |= h.filtered ? PeerFlag.F_FILTERED : 0;
    else {
      if (addr.length === 16) flags |= PeerFlag.V_IPV6;
      if (h.postPolicy) flags |= PeerFlag.L_POST_POLICY;
      if (h.legacyAsPath) flags |= PeerFlag.A_LEGACY_AS_PATH;
      if (h.adjRibOut) flags |= PeerFlag.O_ADJ_RIB_OUT;
    }
  }
  w.u8(typeCode).u8(flags);
  encodeDistinguisher(w, h.distinguisher ?? '0:0');
  if (addr.length === 4) w.zeros(12);
  w.bytes(addr);
  checkMax('peer AS', h.asn, 0xffffffff);
  w.u32(h.asn);
  const id = parseIPv4(h.bgpId);
  if (!id) throw new EncodeError(`peer BGP ID "${h.bgpId}"`, 0, 0);
  w.bytes(id);
  const sec = Math.floor(h.timestamp);
  w.u32(sec).u32(Math.round((h.timestamp - sec) * 1e6));
}
