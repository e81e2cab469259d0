/** BMP v3 data model (RFC 7854, RFC 8671, RFC 9069): plain data, no parsing. */
import type { BgpMessage, BgpNotification, BgpOpen, BgpUpdate } from './bgp.ts';
import type { PeerTypeName, StatKind } from './iana.ts';

export interface PerPeerHeader {
  /** Peer type name; 'unknown' for codes outside the registry (see `peerTypeCode`). */
  peerType: PeerTypeName | 'unknown';
  peerTypeCode: number;
  /** Raw flags byte. */
  flags: number;
  /** V flag: the peer address is IPv6. */
  ipv6: boolean;
  /** L flag: post-policy Adj-RIB-In (or, for Loc-RIB, the F "filtered" flag's byte position is reused). */
  postPolicy: boolean;
  /** A flag: the sender says AS_PATH uses 2-byte ASNs (not trusted blindly; see UpdateEncoding). */
  legacyAsPath: boolean;
  /** O flag (RFC 8671): Adj-RIB-Out. */
  adjRibOut: boolean;
  /** Loc-RIB F flag (RFC 9069). */
  filtered: boolean;
  /** Route distinguisher in text ("admin:assigned"), "0:0" for a zero distinguisher. */
  distinguisher: string;
  address: string;
  asn: number;
  bgpId: string;
  /** Seconds since the epoch (with microseconds as the fraction); 0 when the router left it unset. */
  timestamp: number;
}

export interface InfoTlv {
  type: number;
  /** Registry name, e.g. "sys_name"; "unknown" outside the registry. */
  name: string;
  /** UTF-8 text for string TLVs, else null. */
  value: string | null;
  raw: Uint8Array;
}

export interface RouteMonitoring {
  type: 'route_monitoring';
  peer: PerPeerHeader;
  update: BgpUpdate;
}

export interface Stat {
  type: number;
  name: string;
  kind: StatKind | 'unknown';
  /** The value as a number (64-bit gauges above 2^53 lose precision; see `raw`). */
  value: number | null;
  afi: number | null;
  safi: number | null;
  /** Value bytes as sent (kept for unknown and private types). */
  raw: Uint8Array;
}

export interface StatisticsReport {
  type: 'statistics_report';
  peer: PerPeerHeader;
  stats: Stat[];
}

export interface PeerDown {
  type: 'peer_down';
  peer: PerPeerHeader;
  reason: number;
  reasonName: string;
  /** Reasons 1 and 3. */
  notification: BgpNotification | null;
  /** Reason 2: the FSM event code. */
  fsmCode: number | null;
  /** Reason 6 (RFC 9069) and unknown reasons: what followed the reason byte. */
  data: Uint8Array | null;
}

export interface PeerUp {
  type: 'peer_up';
  peer: PerPeerHeader;
  localAddress: string;
  localPort: number;
  remotePort: number;
  /** The OPEN the monitored router sent to the peer. */
  sentOpen: BgpOpen;
  /** The OPEN the peer sent to the monitored router. */
  receivedOpen: BgpOpen;
  information: InfoTlv[];
}

export interface Initiation {
  type: 'initiation';
  information: InfoTlv[];
}

export interface Termination {
  type: 'termination';
  information: InfoTlv[];
  reason: number | null;
  reasonName: string | null;
}

export interface MirrorTlvBgp {
  type: 0;
  message: BgpMessage | null;
  /** Decode error of the mirrored BGP message, if any; the raw bytes are kept. */
  error: string | null;
  raw: Uint8Array;
}

export interface MirrorTlvInfo {
  type: 1;
  /** 0 errored PDU, 1 messages lost. */
  code: number;
  raw: Uint8Array;
}

export interface MirrorTlvOther {
  type: number;
  raw: Uint8Array;
}

export interface RouteMirroring {
  type: 'route_mirroring';
  peer: PerPeerHeader;
  tlvs: (MirrorTlvBgp | MirrorTlvInfo | MirrorTlvOther)[];
}

export type BmpMessage =
  | RouteMonitoring
  | StatisticsReport
  | PeerDown
  | PeerUp
  | Initiation
  | Termination
  | RouteMirroring;
