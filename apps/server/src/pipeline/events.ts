/**
 * Normalised pipeline events: what a decoded BMP message means, independent of where it came from. Pure
 * functions from a decoded message (plus its router context) to events; state/ and fanout/ consume them.
 */

import type {
  BgpNotification,
  BgpOpen,
  BmpMessage,
  InfoTlv,
  PeerDown,
  PeerUp,
  PerPeerHeader,
  RouteMonitoring,
  StatisticsReport,
} from '@bmpwatch/bmp';
import { BmpError, type BmpSession, type RouteScan } from '@bmpwatch/bmp';
import type {
  OpenFacts,
  PeerDownEvent,
  PeerUpEvent,
  RouteGroup,
  RouterDownEvent,
  RouterRef,
  RouterUpEvent,
  RouteUpdate,
  StatsEvent,
} from '../model/events.ts';

/**
 * A Route Monitoring message read by the decoder's fast path (`scanRoutes`): peer, prefixes as numbers and the
 * origin, no attribute objects. `full()` decodes the same message completely when something needs more
 * (a client matched and wants the attributes, a new peer, a path filter). One instance is reused for every
 * message: it is only valid while the pipeline applies it, synchronously.
 */
export class ScannedRoutes {
  readonly type = 'scanned' as const;
  router!: RouterRef;
  private bytes: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private end = 0;
  private session: BmpSession | null = null;
  private now = 0;
  /** The full decode of the current message, once asked for (several sinks may ask for it). */
  private decoded: RouteUpdate | BmpError | null = null;

  constructor(readonly scan: RouteScan) {}

  set(
    router: RouterRef,
    bytes: Uint8Array,
    offset: number,
    end: number,
    session: BmpSession,
    now: number,
  ): this {
    this.router = router;
    this.bytes = bytes;
    this.offset = offset;
    this.end = end;
    this.session = session;
    this.now = now;
    this.decoded = null;
    return this;
  }

  /** The raw message bytes and where its per-peer header is (for a peer lookup without a full decode). */
  get buffer(): Uint8Array {
    return this.bytes;
  }

  full(): RouteUpdate | BmpError {
    this.decoded ??= this.decodeFull();
    return this.decoded;
  }

  private decodeFull(): RouteUpdate | BmpError {
    const view = this.end === this.bytes.length ? this.bytes : this.bytes.subarray(0, this.end);
    const msg = this.session!.decode(view, this.offset);
    if (msg instanceof BmpError) return msg;
    if (msg.type !== 'route_monitoring')
      return new BmpError('BMP_ERR_TYPE', 0, 'scanned message is not Route Monitoring', 0);
    return routeUpdate(msg, this.router, this.now, this.bytes, this.offset);
  }
}

export type PipelineEvent =
  | RouteUpdate
  | ScannedRoutes
  | PeerUpEvent
  | PeerDownEvent
  | StatsEvent
  | RouterUpEvent
  | RouterDownEvent;

const AFI_NAMES: Record<number, string> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn' };
const SAFI_NAMES: Record<number, string> = {
  1: 'unicast',
  2: 'multicast',
  4: 'mpls_label',
  70: 'evpn',
  128: 'mpls_vpn',
  133: 'flowspec',
};

export function familyName(afi: number, safi: number): string {
  return `${AFI_NAMES[afi] ?? `afi${afi}`}/${SAFI_NAMES[safi] ?? `safi${safi}`}`;
}

function eventTime(peer: PerPeerHeader, now: number): number {
  return peer.timestamp > 0 ? peer.timestamp : now;
}

/** Appends a group for `n` if it has prefixes. (A module function: a closure per message costs, see below.) */
function addGroup(
  to: RouteGroup[],
  n: { prefixes: string[]; pathIds: number[] | null } | null,
  nextHop: string | null,
): number {
  if (n === null || n.prefixes.length === 0) return 0;
  to.push({ prefixes: n.prefixes, pathIds: n.pathIds, nextHop });
  return n.prefixes.length;
}

// Hot path note: the server runs under tsx, whose transform names every function it defines; a closure created
// per message then costs a name assignment each time. Per-message code here and in fanout/ avoids closures.

/** `bytes`/`offset`: where the BMP message was decoded from (see RouteUpdate.bytes). */
export function routeUpdate(
  msg: RouteMonitoring,
  router: RouterRef,
  now: number,
  bytes: Uint8Array | null = null,
  offset = 0,
): RouteUpdate {
  const u = msg.update;
  const a = u.attributes;
  const withdrawn: RouteGroup[] = [];
  const announced: RouteGroup[] = [];
  let withdrawCount = addGroup(withdrawn, u.withdrawn, null);
  withdrawCount += addGroup(withdrawn, a.mpUnreach === null ? null : a.mpUnreach.nlri, null);
  let announceCount = 0;
  if (u.treatAsWithdraw) {
    // RFC 7606: a malformed update's announcements are to be treated as withdrawn.
    withdrawCount += addGroup(withdrawn, u.announced, null);
    withdrawCount += addGroup(withdrawn, a.mpReach === null ? null : a.mpReach.nlri, null);
  } else {
    announceCount += addGroup(announced, u.announced, a.nextHop);
    if (a.mpReach !== null) announceCount += addGroup(announced, a.mpReach.nlri, a.mpReach.nextHop);
  }
  return {
    type: 'routes',
    router,
    peer: msg.peer,
    ts: eventTime(msg.peer, now),
    withdrawn,
    announced,
    attributes: announceCount > 0 ? a : null,
    announceCount,
    withdrawCount,
    bytes,
    offset,
  };
}

function notificationText(n: BgpNotification): string {
  let s = n.codeName + '/' + (n.subcodeName ?? String(n.subcode));
  if (n.shutdownMessage) s += ` (${JSON.stringify(n.shutdownMessage)})`;
  return s;
}

/** Readable Peer Down reason, e.g. "remote_notification: cease/administrative_shutdown". */
export function peerDownReason(m: PeerDown): string {
  if (m.notification) return `${m.reasonName}: ${notificationText(m.notification)}`;
  if (m.fsmCode !== null) return `${m.reasonName}: fsm_event ${m.fsmCode}`;
  return m.reasonName;
}

function capabilityNames(o: BgpOpen): string[] {
  const names = new Set<string>();
  for (const c of o.capabilities) names.add(c.name === 'other' ? `cap${c.code}` : c.name);
  return [...names];
}

function multiprotocol(o: BgpOpen): Set<string> {
  const s = new Set<string>();
  for (const c of o.capabilities) if (c.name === 'multiprotocol') s.add(familyName(c.afi, c.safi));
  return s;
}

export function openFacts(m: PeerUp): OpenFacts {
  const sent = m.sentOpen;
  const recv = m.receivedOpen;
  const four = (o: BgpOpen) => o.capabilities.some((c) => c.name === 'four_octet_as');
  const mine = multiprotocol(sent);
  const addPath: string[] = [];
  for (const c of recv.capabilities) {
    if (c.name !== 'add_path') continue;
    for (const f of c.families) if ((f.sendReceive & 2) !== 0) addPath.push(familyName(f.afi, f.safi));
  }
  return {
    local_address: m.localAddress,
    local_port: m.localPort,
    remote_port: m.remotePort,
    // The negotiated hold time is the smaller of the two (RFC 4271 §4.2).
    hold_time: Math.min(sent.holdTime, recv.holdTime),
    four_octet_as: four(sent) && four(recv),
    families: [...multiprotocol(recv)].filter((f) => mine.has(f)),
    add_path: addPath,
    capabilities: capabilityNames(recv),
  };
}

function tlvText(info: InfoTlv[], name: string): string | null {
  const values = info.filter((t) => t.name === name && t.value !== null).map((t) => t.value!);
  return values.length > 0 ? values.join('\n') : null;
}

function statsEvent(m: StatisticsReport, router: RouterRef, now: number): StatsEvent {
  let total: number | null = null;
  let perFamily: number | null = null;
  for (const s of m.stats) {
    if (s.value === null) continue;
    if (s.type === 7) total = s.value;
    else if (s.type === 9) perFamily = (perFamily ?? 0) + s.value;
  }
  return {
    type: 'stats',
    router,
    peer: m.peer,
    ts: eventTime(m.peer, now),
    adjRibIn: total ?? perFamily,
    stats: m.stats.map((s) => ({ name: s.name, value: s.value, afi: s.afi, safi: s.safi })),
  };
}

/**
 * The event a decoded message means, or null for messages the dashboard does not use (Route Mirroring).
 * `bytes`/`offset`: the buffer and offset the message was decoded from, when there is one.
 */
export function toEvent(
  msg: BmpMessage,
  router: RouterRef,
  now: number,
  bytes: Uint8Array | null = null,
  offset = 0,
): PipelineEvent | null {
  switch (msg.type) {
    case 'route_monitoring':
      return routeUpdate(msg, router, now, bytes, offset);
    case 'peer_up':
      return {
        type: 'peer_up',
        router,
        peer: msg.peer,
        ts: eventTime(msg.peer, now),
        open: openFacts(msg),
        msg,
      };
    case 'peer_down':
      return {
        type: 'peer_down',
        router,
        peer: msg.peer,
        ts: eventTime(msg.peer, now),
        reason: peerDownReason(msg),
        msg,
      };
    case 'statistics_report':
      return statsEvent(msg, router, now);
    case 'initiation':
      return {
        type: 'router_up',
        router,
        ts: now,
        name: tlvText(msg.information, 'sys_name'),
        descr: tlvText(msg.information, 'sys_descr'),
        reason: 'initiation',
      };
    case 'termination': {
      const text = tlvText(msg.information, 'string');
      const reason =
        `termination: ${msg.reasonName ?? 'no reason given'}` + (text ? ` (${JSON.stringify(text)})` : '');
      return { type: 'router_down', router, ts: now, reason };
    }
    case 'route_mirroring':
      return null;
  }
}
