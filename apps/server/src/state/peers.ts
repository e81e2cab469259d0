/**
 * Live state of the BGP peers each router reports: up/down/unknown with since, flaps and the last down reason,
 * Adj-RIB-In size from Statistics Reports, announcement / withdrawal counts and per-second rates.
 */

// The JSON shapes are the API's (@bmpwatch/api), shared with the dashboard.
import type { PeerEventJson, PeerJson, PeerState } from '@bmpwatch/api';
import { formatIPv4, formatIPv6, type PeerTypeName, type PerPeerHeader, type RouteScan } from '@bmpwatch/bmp';
import type { OpenFacts } from '../model/events.ts';
import { RateSeries } from './rates.ts';
import type { RouterState } from './routers.ts';

export type { PeerEventJson, PeerJson, PeerState };

/** `router|address`, with `|distinguisher` appended for peers with a route distinguisher. */
export function peerKey(routerId: string, peer: PerPeerHeader): string {
  return peer.distinguisher === '0:0'
    ? routerId + '|' + peer.address
    : routerId + '|' + peer.address + '|' + peer.distinguisher;
}

export class Peer {
  state: PeerState = 'up';
  since: number;
  flaps = 0;
  lastDownReason: string | null = null;
  adjRibIn: number | null = null;
  announcements = 0;
  withdrawals = 0;
  open: OpenFacts | null = null;
  asn: number;
  bgpId: string;
  peerType: PeerTypeName | 'unknown';
  readonly rates = new RateSeries();

  constructor(
    readonly key: string,
    readonly router: RouterState,
    readonly address: string,
    readonly distinguisher: string,
    header: PerPeerHeader,
    now: number,
  ) {
    this.asn = header.asn;
    this.bgpId = header.bgpId;
    this.peerType = header.peerType;
    this.since = now;
  }

  toJSON(): PeerJson {
    return {
      key: this.key,
      router: this.router.id,
      address: this.address,
      asn: this.asn,
      bgp_id: this.bgpId,
      peer_type: this.peerType,
      distinguisher: this.distinguisher,
      state: this.state,
      since: this.since,
      flaps: this.flaps,
      last_down_reason: this.lastDownReason,
      adj_rib_in: this.adjRibIn,
      announcements: this.announcements,
      withdrawals: this.withdrawals,
      open: this.open,
    };
  }
}

/** One router's peers: by address (plus `|distinguisher` for RD peers), and the peer of its last scanned message. */
class RouterPeers {
  readonly byAddress = new Map<string, Peer>();
  /** Consecutive messages mostly share a peer: its address words, to compare without formatting. */
  last: Peer | null = null;
  readonly lastAddr = new Uint32Array(4);
  lastV6 = false;
}

export class PeerTable {
  private readonly byKey = new Map<string, Peer>();
  /** Per router id. RouterState objects live as long as the table, so their id is a stable key. */
  private readonly byRouter = new Map<string, RouterPeers>();
  /** The router of the last lookup and its peers: consecutive messages mostly come from one router. */
  private lastRouter: RouterState | null = null;
  private lastPeers: RouterPeers | null = null;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Peer | undefined {
    return this.byKey.get(key);
  }

  list(): Peer[] {
    return [...this.byKey.values()];
  }

  ofRouter(routerId: string): Peer[] {
    return [...(this.byRouter.get(routerId)?.byAddress.values() ?? [])];
  }

  /** The router's peers, created on first use when `create`; one pointer compare for a repeated router. */
  private peersOf(router: RouterState, create: true): RouterPeers;
  private peersOf(router: RouterState, create: false): RouterPeers | null;
  private peersOf(router: RouterState, create: boolean): RouterPeers | null {
    if (router === this.lastRouter) return this.lastPeers;
    let rp = this.byRouter.get(router.id);
    if (rp === undefined) {
      if (!create) return null;
      rp = new RouterPeers();
      this.byRouter.set(router.id, rp);
    }
    this.lastRouter = router;
    this.lastPeers = rp;
    return rp;
  }

  /**
   * The peer's state, created (up, since `now`) if new. Looked up in the router's own index by address, so the
   * per-message cost is one Map lookup on a string the decoder already made (no key concatenation).
   */
  private ensure(router: RouterState, header: PerPeerHeader, now: number): { peer: Peer; created: boolean } {
    const index = this.peersOf(router, true).byAddress;
    const local =
      header.distinguisher === '0:0' ? header.address : header.address + '|' + header.distinguisher;
    const p = index.get(local);
    if (p !== undefined) return { peer: p, created: false };
    const peer = new Peer(router.id + '|' + local, router, header.address, header.distinguisher, header, now);
    index.set(local, peer);
    this.byKey.set(peer.key, peer);
    router.peerCount = index.size;
    return { peer, created: true };
  }

  /**
   * The peer's state for a Route Monitoring or Statistics message about it. A peer first seen this way (a
   * stream joined after its Peer Up), or one we thought down or unknown, is evidently up: the event says so.
   */
  touch(
    router: RouterState,
    header: PerPeerHeader,
    now: number,
  ): { peer: Peer; event: PeerEventJson | null } {
    const { peer, created } = this.ensure(router, header, now);
    if (created) return { peer, event: peerEvent('peer_up', now, peer, 'first seen') };
    if (peer.state === 'up') return { peer, event: null };
    peer.state = 'up';
    peer.since = now;
    return { peer, event: peerEvent('peer_up', now, peer, 'route monitoring seen') };
  }

  up(router: RouterState, header: PerPeerHeader, ts: number, open: OpenFacts): PeerEventJson {
    const { peer } = this.ensure(router, header, ts);
    peer.state = 'up';
    peer.since = ts;
    peer.asn = header.asn;
    peer.bgpId = header.bgpId;
    peer.open = open;
    // A new session starts a new table: the old Adj-RIB-In size no longer holds.
    peer.adjRibIn = null;
    return peerEvent('peer_up', ts, peer, null);
  }

  down(router: RouterState, header: PerPeerHeader, ts: number, reason: string): PeerEventJson {
    const { peer, created } = this.ensure(router, header, ts);
    // A duplicate Peer Down, or one for a peer never seen up (some routers send those), is no flap.
    if (!created && peer.state === 'up') peer.flaps++;
    peer.state = 'down';
    peer.since = ts;
    peer.lastDownReason = reason;
    peer.adjRibIn = 0;
    return peerEvent('peer_down', ts, peer, reason);
  }

  /**
   * The known peer of a scanned Route Monitoring message, from the raw per-peer header without decoding it;
   * null when the pipeline should take the full path instead (a new peer, or one with a route distinguisher).
   */
  scannedPeer(router: RouterState, scan: RouteScan, bytes: Uint8Array): Peer | null {
    const ph = scan.peerHeaderOffset;
    for (let k = ph + 2; k < ph + 10; k++) if (bytes[k] !== 0) return null;
    const rp = this.peersOf(router, false);
    if (rp === null) return null;
    const pa = scan.peerAddr;
    const last = rp.lastAddr;
    if (
      rp.last !== null &&
      rp.lastV6 === scan.peerIpv6 &&
      pa[3] === last[3] &&
      pa[2] === last[2] &&
      pa[1] === last[1] &&
      pa[0] === last[0]
    )
      return rp.last;
    const address = scan.peerIpv6 ? formatIPv6(bytes, ph + 10) : formatIPv4(bytes, ph + 22);
    const p = rp.byAddress.get(address);
    if (p === undefined) return null;
    rp.last = p;
    rp.lastV6 = scan.peerIpv6;
    last.set(pa);
    return p;
  }

  /** Marks every peer of a router unknown (the router went away, so nobody can tell); one event each. */
  unknownForRouter(routerId: string, ts: number, reason: string): PeerEventJson[] {
    const out: PeerEventJson[] = [];
    for (const p of this.byRouter.get(routerId)?.byAddress.values() ?? []) {
      if (p.state === 'unknown') continue;
      p.state = 'unknown';
      p.since = ts;
      out.push(peerEvent('peer_unknown', ts, p, reason));
    }
    return out;
  }
}

export function peerEvent(
  kind: PeerEventJson['kind'],
  ts: number,
  p: Peer,
  reason: string | null,
): PeerEventJson {
  return { kind, ts, peer: p.toJSON(), reason };
}
