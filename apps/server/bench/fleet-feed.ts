/**
 * The traffic of the many-clients run: message m belongs to group m % groups and announces that group's five
 * /29s with that group's origin ASN, so healthy client g (an origin filter or a /24 filter, alternately) gets
 * exactly group g's routes. The BMP timestamp is stamped at send time, so a client's latency is arrival − ts.
 */
import { msg, type TestPeer } from '../test/support/bmp-router.ts';

export const PREFIXES_PER_MESSAGE = 5;
const ORIGIN_BASE = 4_200_000_000;
/** The per-peer header's timestamp (seconds, then microseconds): after the 6-byte common header, at 34. */
const TS_OFFSET = 6 + 34;

export const FLEET_PEER: TestPeer = { address: '192.0.2.77', asn: 65077, bgpId: '192.0.2.77' };

function groupNet(g: number): string {
  return `10.${(g >> 8) & 255}.${g & 255}`;
}

/** Healthy client g's filter: distinct per client, matching only group g. */
export function groupFilter(g: number): unknown {
  return g % 2 === 0 ? { origin_asns: [ORIGIN_BASE + g] } : { prefixes: [`${groupNet(g)}.0/24`] };
}

/** Stalled client j's filter: distinct per client, matching every route of the feed. */
export function stalledFilter(j: number): unknown {
  return { prefixes: ['10.0.0.0/8', `192.168.${j & 255}.0/24`] };
}

/** One Route Monitoring message per group, to be copied and stamped for each send. */
export function groupMessages(groups: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let g = 0; g < groups; g++) {
    const prefixes = [];
    for (let i = 0; i < PREFIXES_PER_MESSAGE; i++) prefixes.push(`${groupNet(g)}.${i * 8}/29`);
    out.push(msg.announce(FLEET_PEER, prefixes, [FLEET_PEER.asn, 3356, ORIGIN_BASE + g]));
  }
  return out;
}

/** A copy of `template` stamped with `ms` (Unix milliseconds). */
export function stamped(template: Uint8Array, ms: number): Buffer {
  const b = Buffer.from(template);
  b.writeUInt32BE(Math.floor(ms / 1000), TS_OFFSET);
  b.writeUInt32BE(Math.round(ms % 1000) * 1000, TS_OFFSET + 4);
  return b;
}
