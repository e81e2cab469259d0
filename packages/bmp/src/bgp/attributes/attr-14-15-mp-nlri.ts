/** MP_REACH_NLRI (14) and MP_UNREACH_NLRI (15), RFC 4760: NLRI of any address family. */
import { formatIPv4Cached, formatIPv6Cached, parseIP } from '../../address.ts';
import { checkMax, EncodeError, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import type { MpReach, MpUnreach } from '../../models/bgp.ts';
import { u16 } from '../../read.ts';
import { readNlri } from '../nlri.ts';
import { encodeNlri } from '../nlri-encode.ts';

/** IPv4 and IPv6 unicast and multicast are decoded; other families are kept raw with their codes. */
export function isDecodedFamily(afi: number, safi: number): boolean {
  return (afi === 1 || afi === 2) && (safi === 1 || safi === 2);
}

/** The (global) next hop's text for each next-hop length of RFC 4760 / RFC 2545 (VPN forms skip the RD). */
function nextHopText(b: Uint8Array, o: number, len: number): string | null {
  switch (len) {
    case 4:
      return formatIPv4Cached(b, o);
    case 16:
    case 32:
      return formatIPv6Cached(b, o);
    case 12: // route distinguisher + IPv4 (VPN families)
      return formatIPv4Cached(b, o + 8);
    case 24:
    case 48:
      return formatIPv6Cached(b, o + 8);
    default:
      return null;
  }
}

/** The link-local next hop of the 32-byte form (48 with RDs), else null. */
function linkLocalText(b: Uint8Array, o: number, len: number): string | null {
  return len === 32 ? formatIPv6Cached(b, o + 16) : len === 48 ? formatIPv6Cached(b, o + 32) : null;
}

export function decodeMpReach(
  b: Uint8Array,
  o: number,
  end: number,
  addPath: boolean | null,
  choice: { addPath: boolean },
): MpReach {
  if (end - o < 5) fault('BGP_ERR_UPDATE', o, 'MP_REACH_NLRI shorter than its fixed fields');
  const afi = u16(b, o);
  const safi = b[o + 2];
  const nhLen = b[o + 3];
  const nlriStart = o + 4 + nhLen + 1;
  if (nlriStart > end)
    fault('BGP_ERR_UPDATE', o + 3, `MP_REACH_NLRI next hop length ${nhLen} overruns the attribute`);
  const nextHop = nextHopText(b, o + 4, nhLen);
  const nextHopLinkLocal = linkLocalText(b, o + 4, nhLen);
  if (!isDecodedFamily(afi, safi)) {
    return { afi, safi, nextHop, nextHopLinkLocal, nlri: null, raw: b.subarray(o, end) };
  }
  const nlri = readNlri(b, nlriStart, end, afi, safi, addPath, choice);
  return { afi, safi, nextHop, nextHopLinkLocal, nlri, raw: null };
}

export function decodeMpUnreach(
  b: Uint8Array,
  o: number,
  end: number,
  addPath: boolean | null,
  choice: { addPath: boolean },
): MpUnreach {
  if (end - o < 3) fault('BGP_ERR_UPDATE', o, 'MP_UNREACH_NLRI shorter than its fixed fields');
  const afi = u16(b, o);
  const safi = b[o + 2];
  if (!isDecodedFamily(afi, safi)) return { afi, safi, nlri: null, raw: b.subarray(o, end) };
  return { afi, safi, nlri: readNlri(b, o + 3, end, afi, safi, addPath, choice), raw: null };
}

function encodeAddress(w: Writer, addr: string, field: string): void {
  const bytes = parseIP(addr);
  if (!bytes) throw new EncodeError(`${field} (not an address: ${addr})`, 0, 0);
  w.bytes(bytes);
}

export function encodeMpReach(w: Writer, mp: MpReach): void {
  if (mp.raw) {
    w.bytes(mp.raw);
    return;
  }
  checkMax('MP_REACH AFI', mp.afi, 0xffff);
  w.u16(mp.afi).u8(mp.safi);
  const lenAt = w.reserve(1);
  const start = w.pos;
  if (mp.nextHop !== null) encodeAddress(w, mp.nextHop, 'MP_REACH next hop');
  if (mp.nextHopLinkLocal !== null) encodeAddress(w, mp.nextHopLinkLocal, 'MP_REACH link-local next hop');
  w.buf[lenAt] = w.pos - start;
  w.u8(0);
  if (mp.nlri) encodeNlri(w, mp.nlri);
}

export function encodeMpUnreach(w: Writer, mp: MpUnreach): void {
  if (mp.raw) {
    w.bytes(mp.raw);
    return;
  }
  w.u16(mp.afi).u8(mp.safi);
  if (mp.nlri) encodeNlri(w, mp.nlri);
}
