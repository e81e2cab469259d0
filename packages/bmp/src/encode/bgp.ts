/** BGP message encoder (UPDATE, OPEN, NOTIFICATION, KEEPALIVE): the inverse of bgp/*.ts. */
import { encodeOrigin } from '../bgp/attributes/attr-01-origin.ts';
import { encodeAsPath } from '../bgp/attributes/attr-02-17-as-path.ts';
import { encodeIPv4 } from '../bgp/attributes/attr-03-09-10-addresses.ts';
import { encodeU32Attr } from '../bgp/attributes/attr-04-05-35-u32.ts';
import { encodeAggregator } from '../bgp/attributes/attr-07-18-aggregator.ts';
import { encodeCommunities } from '../bgp/attributes/attr-08-communities.ts';
import { encodeMpReach, encodeMpUnreach } from '../bgp/attributes/attr-14-15-mp-nlri.ts';
import { encodeExtCommunity } from '../bgp/attributes/attr-16-ext-communities.ts';
import { encodeLargeCommunities } from '../bgp/attributes/attr-32-large-communities.ts';
import { encodeNlri } from '../bgp/nlri-encode.ts';
import { encodeNotification } from '../bgp/notification.ts';
import { encodeOpen } from '../bgp/open.ts';
import type { AsPathSegment, BgpOpen, Nlri, PathAttributes } from '../models/bgp.ts';
import { AS_TRANS, Attr, AttrFlag, BgpType } from '../models/iana.ts';
import { checkMax, EncodeError, Writer } from './writer.ts';

export interface UpdateInput {
  /** IPv4 unicast withdrawn routes (prefix strings, or an Nlri with path ids). */
  withdrawn?: Nlri | string[];
  /** IPv4 unicast NLRI. */
  announced?: Nlri | string[];
  attributes?: Partial<PathAttributes>;
  /** as4 false writes a 2-byte AS_PATH (AS_TRANS plus AS4_PATH for larger ASNs). Default true. */
  encoding?: { as4: boolean };
}

export type OpenInput = Omit<BgpOpen, 'kind' | 'myAs' | 'otherParams'> & {
  myAs?: number;
  otherParams?: BgpOpen['otherParams'];
};

/**
 * The OPEN a typical BGP-4 speaker sends: hold time 90 s, a multiprotocol capability per family (IPv4 unicast by
 * default), route refresh when asked, and 4-octet AS — what the demo feed, the benchmarks and the test routers
 * put in their Peer Ups.
 */
export function typicalOpen(
  asn: number,
  bgpId: string,
  opts: { families?: readonly { afi: number; safi: number }[]; routeRefresh?: boolean } = {},
): OpenInput {
  return {
    version: 4,
    asn,
    holdTime: 90,
    bgpId,
    capabilities: [
      ...(opts.families ?? [{ afi: 1, safi: 1 }]).map(
        (f) => ({ code: 1, name: 'multiprotocol', afi: f.afi, safi: f.safi }) as const,
      ),
      ...(opts.routeRefresh ? [{ code: 2, name: 'route_refresh' } as const] : []),
      { code: 65, name: 'four_octet_as', asn },
    ],
  };
}

export type BgpMessageInput =
  | ({ kind: 'update' } & UpdateInput)
  | ({ kind: 'open' } & OpenInput)
  | {
      kind: 'notification';
      code: number;
      subcode: number;
      data?: Uint8Array;
      shutdownMessage?: string | null;
    }
  | { kind: 'keepalive' }
  | { kind: 'route_refresh'; afi: number; safi: number; subtype?: number }
  | { kind: 'other'; bgpType: number; body: Uint8Array };

const OPT = AttrFlag.OPTIONAL;
const TRANS = AttrFlag.TRANSITIVE;

function toNlri(x: Nlri | string[] | undefined): Nlri | null {
  if (!x) return null;
  return Array.isArray(x) ? { afi: 1, safi: 1, prefixes: x, pathIds: null } : x;
}

/** Writes one attribute: flags, code, length (extended when over 255), then what `body` writes. */
function attr(w: Writer, flags: number, code: number, body: (w: Writer) => void): void {
  const tmp = new Writer(64);
  body(tmp);
  const len = tmp.pos;
  checkMax(`attribute ${code} length`, len, 0xffff);
  const ext = len > 255;
  w.u8((flags & ~AttrFlag.EXTENDED_LENGTH) | (ext ? AttrFlag.EXTENDED_LENGTH : 0)).u8(code);
  if (ext) w.u16(len);
  else w.u8(len);
  w.bytes(tmp.buf.subarray(0, len));
}

function needs4(path: AsPathSegment[]): boolean {
  return path.some((s) => s.asns.some((a) => a > 0xffff));
}

function transPath(path: AsPathSegment[]): AsPathSegment[] {
  return path.map((s) => ({ type: s.type, asns: s.asns.map((a) => (a > 0xffff ? AS_TRANS : a)) }));
}

export function encodeUpdateBody(w: Writer, u: UpdateInput): void {
  const as4 = u.encoding?.as4 ?? true;
  const a = u.attributes ?? {};
  const wLenAt = w.reserve(2);
  const withdrawn = toNlri(u.withdrawn);
  if (withdrawn) encodeNlri(w, withdrawn);
  w.patchU16(wLenAt, w.pos - wLenAt - 2);
  const aLenAt = w.reserve(2);
  if (a.origin != null) attr(w, TRANS, Attr.ORIGIN, (x) => encodeOrigin(x, a.origin!));
  if (a.asPath != null) {
    const path = a.asPath;
    attr(w, TRANS, Attr.AS_PATH, (x) => encodeAsPath(x, as4 ? path : transPath(path), as4 ? 4 : 2));
  }
  if (a.nextHop != null) attr(w, TRANS, Attr.NEXT_HOP, (x) => encodeIPv4(x, a.nextHop!, 'NEXT_HOP'));
  if (a.med != null) attr(w, OPT, Attr.MED, (x) => encodeU32Attr(x, a.med!, 'MED'));
  if (a.localPref != null)
    attr(w, TRANS, Attr.LOCAL_PREF, (x) => encodeU32Attr(x, a.localPref!, 'LOCAL_PREF'));
  if (a.atomicAggregate) attr(w, TRANS, Attr.ATOMIC_AGGREGATE, () => {});
  let as4Aggregator = null;
  if (a.aggregator != null) {
    const agg = a.aggregator;
    if (!as4 && agg.asn > 0xffff) as4Aggregator = agg;
    attr(w, OPT | TRANS, Attr.AGGREGATOR, (x) =>
      encodeAggregator(
        x,
        as4 || agg.asn <= 0xffff ? agg : { asn: AS_TRANS, address: agg.address },
        as4 ? 4 : 2,
      ),
    );
  }
  if (a.communities != null)
    attr(w, OPT | TRANS, Attr.COMMUNITIES, (x) => encodeCommunities(x, a.communities!));
  if (a.originatorId != null)
    attr(w, OPT, Attr.ORIGINATOR_ID, (x) => encodeIPv4(x, a.originatorId!, 'ORIGINATOR_ID'));
  if (a.clusterList != null)
    attr(w, OPT, Attr.CLUSTER_LIST, (x) => {
      for (const id of a.clusterList!) encodeIPv4(x, id, 'CLUSTER_LIST');
    });
  if (a.mpReach != null) attr(w, OPT, Attr.MP_REACH_NLRI, (x) => encodeMpReach(x, a.mpReach!));
  if (a.mpUnreach != null) attr(w, OPT, Attr.MP_UNREACH_NLRI, (x) => encodeMpUnreach(x, a.mpUnreach!));
  if (a.extCommunities != null)
    attr(w, OPT | TRANS, Attr.EXTENDED_COMMUNITIES, (x) => {
      for (const c of a.extCommunities!) encodeExtCommunity(x, c);
    });
  const as4Path = a.as4Path ?? (!as4 && a.asPath != null && needs4(a.asPath) ? a.asPath : null);
  if (as4Path != null) attr(w, OPT | TRANS, Attr.AS4_PATH, (x) => encodeAsPath(x, as4Path, 4));
  if (as4Aggregator) attr(w, OPT | TRANS, Attr.AS4_AGGREGATOR, (x) => encodeAggregator(x, as4Aggregator, 4));
  if (a.largeCommunities != null)
    attr(w, OPT | TRANS, Attr.LARGE_COMMUNITY, (x) => encodeLargeCommunities(x, a.largeCommunities!));
  if (a.otc != null) attr(w, OPT | TRANS, Attr.OTC, (x) => encodeU32Attr(x, a.otc!, 'OTC'));
  for (const raw of a.unknown ?? []) attr(w, raw.flags, raw.code, (x) => x.bytes(raw.value));
  const aLen = w.pos - aLenAt - 2;
  checkMax('total path attribute length', aLen, 0xffff);
  w.patchU16(aLenAt, aLen);
  const announced = toNlri(u.announced);
  if (announced) encodeNlri(w, announced);
}

/** Writes a whole BGP message (marker, length, type, body). */
export function writeBgpMessage(w: Writer, m: BgpMessageInput): void {
  const at = w.pos;
  for (let i = 0; i < 16; i++) w.u8(0xff);
  w.u16(0);
  switch (m.kind) {
    case 'update':
      w.u8(BgpType.UPDATE);
      encodeUpdateBody(w, m);
      break;
    case 'open':
      w.u8(BgpType.OPEN);
      encodeOpen(w, { ...m, otherParams: m.otherParams ?? [] });
      break;
    case 'notification':
      w.u8(BgpType.NOTIFICATION);
      encodeNotification(w, m);
      break;
    case 'keepalive':
      w.u8(BgpType.KEEPALIVE);
      break;
    case 'route_refresh':
      w.u8(BgpType.ROUTE_REFRESH)
        .u16(m.afi)
        .u8(m.subtype ?? 0)
        .u8(m.safi);
      break;
    case 'other':
      w.u8(m.bgpType).bytes(m.body);
      break;
  }
  const len = w.pos - at;
  if (len > 0xffff) throw new EncodeError('BGP message length', len, 0xffff);
  w.patchU16(at + 16, len);
}

export function encodeBgpMessage(m: BgpMessageInput): Uint8Array {
  const w = new Writer(256);
  writeBgpMessage(w, m);
  return w.finish();
}
