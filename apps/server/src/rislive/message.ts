/**
 * Pipeline events as RIS Live `ris_message` frames (docs/rislive.md), in RIS Live's field names and types:
 * `peer_asn` a string, `timestamp` float seconds, `path` with AS_SETs nested, `community` as [[asn, value]],
 * `announcements` grouped by next hop. Each builder returns the frame without its two closing braces, so the
 * hub can finish it with or without `raw` while serializing the event only once. Pure functions.
 */
import { type BgpNotification, type BgpOpen, type PathHop, pathHops } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';
import { familyName } from '../pipeline/events.ts';
import type { RisType } from './protocol.ts';

/** Who and when, shared by every ris_message. */
export interface MessageHead {
  ts: number;
  peer: string;
  peerAsn: number;
  id: string;
  host: string;
}

/** A frame missing its closing `}}`; `closeFrame` / `closeFrameWithRaw` finish it. */
export type UnclosedFrame = string & { readonly __unclosedFrame: true };

function head(h: MessageHead, type: RisType): string {
  return (
    '{"type":"ris_message","data":{"timestamp":' +
    h.ts +
    ',"peer":' +
    JSON.stringify(h.peer) +
    ',"peer_asn":"' +
    h.peerAsn +
    '","id":' +
    JSON.stringify(h.id) +
    ',"host":' +
    JSON.stringify(h.host) +
    ',"type":"' +
    type +
    '"'
  );
}

export function closeFrame(f: UnclosedFrame): string {
  return f + '}}';
}

export function closeFrameWithRaw(f: UnclosedFrame, rawHex: string): string {
  return f + ',"raw":"' + rawHex + '"}}';
}

/** Upper-case hex of bytes, as RIS Live writes `raw`. */
function hex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    .toString('hex')
    .toUpperCase();
}

/** The BGP UPDATE of a route event as received, in hex; null when the event carries no bytes. */
export function updateRawHex(u: RouteUpdate): string | null {
  const b = u.bytes;
  if (b === null) return null;
  const o = u.offset;
  // BMP common header (version, 4-byte length, type) then the 42-byte per-peer header, then the BGP message.
  const length = ((b[o + 1] << 24) | (b[o + 2] << 16) | (b[o + 3] << 8) | b[o + 4]) >>> 0;
  return hex(b, o + 48, o + length);
}

const NO_HOPS: readonly PathHop[] = [];

/** The AS path of an UPDATE, flattened as `updateFrame` and path patterns take it ([] without attributes). */
export function updateHops(u: RouteUpdate): readonly PathHop[] {
  return u.attributes === null ? NO_HOPS : pathHops(u.attributes.asPath);
}

/**
 * An UPDATE message. `hops` is the flattened AS path ([] without announcements). Next hops shared by several
 * groups (the IPv4 NLRI field and MP_REACH) are merged into one announcement.
 */
export function updateFrame(h: MessageHead, u: RouteUpdate, hops: readonly PathHop[]): UnclosedFrame {
  const a = u.attributes;
  let s = head(h, 'UPDATE') + ',"path":' + JSON.stringify(hops) + ',"community":[';
  if (a !== null && a.communities !== null) {
    for (let i = 0; i < a.communities.length; i++) {
      const c = a.communities[i];
      s += (i > 0 ? ',[' : '[') + (c >>> 16) + ',' + (c & 0xffff) + ']';
    }
  }
  s += ']';
  if (a !== null) {
    if (a.origin !== null) s += ',"origin":"' + a.origin.toUpperCase() + '"';
    if (a.med !== null) s += ',"med":' + a.med;
    if (a.aggregator !== null) s += ',"aggregator":"' + a.aggregator.asn + ':' + a.aggregator.address + '"';
  }
  const byNextHop = new Map<string | null, string[]>();
  for (const g of u.announced) {
    const l = byNextHop.get(g.nextHop);
    if (l === undefined) byNextHop.set(g.nextHop, g.prefixes.slice());
    else for (const p of g.prefixes) l.push(p);
  }
  let ann = '';
  for (const [nh, prefixes] of byNextHop)
    ann +=
      (ann === '' ? '' : ',') +
      '{"next_hop":' +
      JSON.stringify(nh) +
      ',"prefixes":' +
      JSON.stringify(prefixes) +
      '}';
  let wd = '';
  for (const g of u.withdrawn) for (const p of g.prefixes) wd += (wd === '' ? '"' : ',"') + p + '"';
  return (s + ',"announcements":[' + ann + '],"withdrawals":[' + wd + ']') as UnclosedFrame;
}

export type RisPeerState = 'connected' | 'up' | 'down';

export function peerStateFrame(h: MessageHead, state: RisPeerState): UnclosedFrame {
  return (head(h, 'RIS_PEER_STATE') + ',"state":"' + state + '"') as UnclosedFrame;
}

function capabilities(o: BgpOpen): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const families: string[] = [];
  for (const c of o.capabilities) {
    const code = String(c.code);
    switch (c.name) {
      case 'multiprotocol':
        families.push(familyName(c.afi, c.safi));
        out[code] = { name: 'multiprotocol', families };
        break;
      case 'four_octet_as':
        out[code] = { name: 'asn4', asn4: c.asn };
        break;
      case 'graceful_restart':
        out[code] = { name: 'graceful_restart', restart_time: c.restartTime };
        break;
      case 'add_path':
        out[code] = {
          name: 'add_path',
          families: c.families.map((f) => familyName(f.afi, f.safi)),
        };
        break;
      case 'route_refresh':
        out[code] = { name: 'route_refresh' };
        break;
      default:
        out[code] = { name: 'unknown', value: hex(c.value) };
    }
  }
  return out;
}

/** An OPEN from a BMP Peer Up: "sent" is the monitored router's, "received" the peer's. */
export function openFrame(h: MessageHead, direction: 'sent' | 'received', o: BgpOpen): UnclosedFrame {
  return (head(h, 'OPEN') +
    ',"direction":"' +
    direction +
    '","version":' +
    o.version +
    ',"asn":' +
    o.asn +
    ',"hold_time":' +
    o.holdTime +
    ',"router_id":"' +
    o.bgpId +
    '","capabilities":' +
    JSON.stringify(capabilities(o))) as UnclosedFrame;
}

/** A NOTIFICATION from a BMP Peer Down (reasons 1 and 3 carry one). */
export function notificationFrame(h: MessageHead, n: BgpNotification): UnclosedFrame {
  return (head(h, 'NOTIFICATION') +
    ',"notification":{"code":' +
    n.code +
    ',"subcode":' +
    n.subcode +
    ',"data":"' +
    hex(n.data) +
    '"}') as UnclosedFrame;
}
