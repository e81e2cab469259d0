/** BGP-4 data model (RFC 4271 and extensions): plain data, no parsing. */

export type Origin = 'igp' | 'egp' | 'incomplete';
export type AsPathSegmentType = 'set' | 'sequence' | 'confed_sequence' | 'confed_set';

export interface AsPathSegment {
  type: AsPathSegmentType;
  asns: number[];
}

/** A set of prefixes of one address family, with ADD-PATH identifiers when the session carries them. */
export interface Nlri {
  afi: number;
  safi: number;
  /** Canonical CIDR strings (host bits cleared; IPv6 in RFC 5952 form). */
  prefixes: string[];
  /** ADD-PATH path identifiers, parallel to `prefixes`; null when the NLRI carries none. */
  pathIds: number[] | null;
}

export interface MpReach {
  afi: number;
  safi: number;
  /** Global next hop; null when its length is not an address length we know. */
  nextHop: string | null;
  /** IPv6 link-local next hop (32-byte next hop form), else null. */
  nextHopLinkLocal: string | null;
  /** Decoded NLRI for IPv4/IPv6 unicast and multicast; null for other families (see `raw`). */
  nlri: Nlri | null;
  /** The attribute value for families we don't decode (kept so nothing is lost), else null. */
  raw: Uint8Array | null;
}

export interface MpUnreach {
  afi: number;
  safi: number;
  nlri: Nlri | null;
  raw: Uint8Array | null;
}

export interface Aggregator {
  asn: number;
  address: string;
}

/** An attribute we keep as bytes: unknown type codes, and known ones that failed to decode. */
export interface RawAttribute {
  code: number;
  flags: number;
  value: Uint8Array;
}

export interface PathAttributes {
  origin: Origin | null;
  /** AS_PATH, with AS4_PATH merged in per RFC 6793 when the path was 2-byte encoded. */
  asPath: AsPathSegment[] | null;
  /** AS4_PATH exactly as received (null when absent). */
  as4Path: AsPathSegment[] | null;
  nextHop: string | null;
  med: number | null;
  localPref: number | null;
  atomicAggregate: boolean;
  /** AGGREGATOR, with AS4_AGGREGATOR applied when the AS was AS_TRANS. */
  aggregator: Aggregator | null;
  /** RFC 1997 communities as 32-bit values: high 16 bits the ASN, low 16 the value. */
  communities: number[] | null;
  originatorId: string | null;
  clusterList: string[] | null;
  mpReach: MpReach | null;
  mpUnreach: MpUnreach | null;
  /** RFC 4360 extended communities in text form, e.g. "rt:65001:100", "soo:192.0.2.1:7"; unknown ones as "0x" + hex. */
  extCommunities: string[] | null;
  /** RFC 8092 large communities as [global admin, local 1, local 2]. */
  largeCommunities: [number, number, number][] | null;
  /** RFC 9234 Only-To-Customer ASN. */
  otc: number | null;
  /** Unknown attributes, and known ones discarded as malformed (RFC 7606), kept with their flags. */
  unknown: RawAttribute[] | null;
}

/** What RFC 7606 says to do with a malformed attribute. */
export type WarningAction = 'treat_as_withdraw' | 'attribute_discard';

/** A recoverable fault in an UPDATE: the rest of the update was still decoded. */
export interface UpdateWarning {
  code: 'BGP_WARN_ATTRIBUTE' | 'BGP_WARN_DUPLICATE' | 'BGP_WARN_FLAGS' | 'BGP_WARN_MISSING';
  attr: number;
  /** Offset of the attribute within the input buffer. */
  offset: number;
  action: WarningAction;
  message: string;
}

/** How the variable encodings of an UPDATE were chosen. */
export interface UpdateEncoding {
  /** AS_PATH decoded with 4-byte ASNs. */
  as4: boolean;
  /** NLRI decoded with ADD-PATH path identifiers. */
  addPath: boolean;
  /** True when no Peer Up was known for this peer and the choice above came from a heuristic. */
  guessed: boolean;
}

export interface BgpUpdate {
  kind: 'update';
  /** IPv4 unicast withdrawn routes field. */
  withdrawn: Nlri;
  attributes: PathAttributes;
  /** IPv4 unicast NLRI field. */
  announced: Nlri;
  /** Set when this update is an End-of-RIB marker (RFC 4724): the AFI/SAFI whose dump ended. */
  endOfRib: { afi: number; safi: number } | null;
  /** True when RFC 7606 says to treat the announced prefixes as withdrawn. */
  treatAsWithdraw: boolean;
  warnings: UpdateWarning[] | null;
  encoding: UpdateEncoding;
}

export interface AddPathFamily {
  afi: number;
  safi: number;
  /** 1 receive, 2 send, 3 both. */
  sendReceive: number;
}

export interface GracefulRestartFamily {
  afi: number;
  safi: number;
  forwardingPreserved: boolean;
}

export type Capability =
  | { code: 1; name: 'multiprotocol'; afi: number; safi: number }
  | { code: 2 | 128; name: 'route_refresh' }
  | {
      code: 64;
      name: 'graceful_restart';
      restartState: boolean;
      restartTime: number;
      families: GracefulRestartFamily[];
    }
  | { code: 65; name: 'four_octet_as'; asn: number }
  | { code: 69; name: 'add_path'; families: AddPathFamily[] }
  | { code: number; name: 'other'; value: Uint8Array };

export interface BgpOpen {
  kind: 'open';
  version: number;
  /** My Autonomous System field (AS_TRANS when the real one is 4-byte). */
  myAs: number;
  /** The real ASN: the 4-octet AS capability's when present, else `myAs`. */
  asn: number;
  holdTime: number;
  bgpId: string;
  capabilities: Capability[];
  /** Optional parameters other than capabilities, kept raw. */
  otherParams: { type: number; value: Uint8Array }[];
}

export interface BgpNotification {
  kind: 'notification';
  code: number;
  subcode: number;
  /** Readable code name, e.g. "cease". */
  codeName: string;
  /** Readable subcode name where we know it, e.g. "administrative_shutdown". */
  subcodeName: string | null;
  data: Uint8Array;
  /** RFC 8203/9003 shutdown communication for Cease 2 / 4, when present and valid UTF-8. */
  shutdownMessage: string | null;
}

export interface BgpKeepalive {
  kind: 'keepalive';
}

export interface BgpRouteRefresh {
  kind: 'route_refresh';
  afi: number;
  safi: number;
  subtype: number;
}

/** A BGP message type we don't decode further, kept raw. */
export interface BgpOther {
  kind: 'other';
  bgpType: number;
  body: Uint8Array;
}

export type BgpMessage = BgpUpdate | BgpOpen | BgpNotification | BgpKeepalive | BgpRouteRefresh | BgpOther;
