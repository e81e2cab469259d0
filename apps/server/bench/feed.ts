/**
 * Fixed, seeded inputs for the pipeline benchmark: OpenBMP raw_bmp payloads keyed by router hash (a stream of
 * Route Monitoring from many routers and peers, one peer's full table dump), the 100 distinct client filters,
 * and producers that put payloads into Kafka (kcat when installed: librdkafka produces ~200k msgs/s here,
 * kafkajs ~45k/s).
 */
import { communityFrom, encodeBmp, typicalOpen, wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { Random, routerHash } from '@bmpwatch/demo-feed';
import type { Kafka, Producer } from 'kafkajs';
import { hasKcat, type KcatCodec, kcatProduce } from '../test/support/kcat.ts';

export interface Payload {
  key: Buffer;
  value: Buffer;
}

interface BenchPeer {
  router: string;
  address: string;
  asn: number;
  ipv6: boolean;
}

export const TRANSITS = [
  3356, 174, 1299, 2914, 6939, 6453, 3257, 6762, 1273, 7018, 3491, 5511, 4637, 6461, 2828, 701, 209, 12956,
  9002, 20485,
];
const ORIGINS = 5000;
const originAsn = (i: number) => (i % 2 === 0 ? 64512 + (i % 1000) : 4200000000 + i);

const ROUTERS = Array.from({ length: 12 }, (_, i) => `192.0.2.${i + 1}`);
export const PEERS: BenchPeer[] = ROUTERS.flatMap((router, r) =>
  Array.from({ length: 8 }, (_, p) => {
    const n = r * 8 + p + 1;
    const ipv6 = p % 4 === 3;
    return {
      router,
      address: ipv6 ? `2001:db8:ffff::${n.toString(16)}` : `198.51.100.${n}`,
      asn: p % 2 === 0 ? TRANSITS[n % TRANSITS.length] : 4200001000 + n,
      ipv6,
    };
  }),
);

function wrap(router: string, bmp: Uint8Array, t: number): Payload {
  const v = wrapOpenBmp(bmp, {
    collectionTime: t,
    adminId: 'bench',
    routerIp: router,
    routerHash: routerHash(router),
  });
  return {
    key: Buffer.from(routerHash(router), 'hex'),
    value: Buffer.from(v.buffer, v.byteOffset, v.byteLength),
  };
}

/** Initiation for each router and Peer Up for each of its peers: what a stream starts with. */
export function sessionStart(peers: BenchPeer[], t: number): Payload[] {
  const out: Payload[] = [];
  for (const router of new Set(peers.map((p) => p.router))) {
    out.push(
      wrap(
        router,
        encodeBmp({ type: 'initiation', information: [{ type: 2, value: `bench-${router}` }] }),
        t,
      ),
    );
    for (const p of peers.filter((x) => x.router === router)) {
      out.push(
        wrap(
          router,
          encodeBmp({
            type: 'peer_up',
            peer: { address: p.address, asn: p.asn, bgpId: '203.0.113.1', timestamp: t },
            localAddress: router,
            localPort: 179,
            remotePort: 40000,
            sentOpen: typicalOpen(65000, router, { families: [{ afi: p.ipv6 ? 2 : 1, safi: 1 }] }),
            receivedOpen: typicalOpen(p.asn, '203.0.113.1', { families: [{ afi: p.ipv6 ? 2 : 1, safi: 1 }] }),
          }),
          t,
        ),
      );
    }
  }
  return out;
}

function v4Prefix(rnd: Random): string {
  // Mostly 10/8 (where the prefix filters look), some of the rest of the space.
  const first = rnd.chance(0.6) ? 10 : 11 + rnd.int(200);
  const len = rnd.pick([24, 24, 24, 23, 22, 20, 16]);
  const b2 = rnd.int(256);
  const b3 = len >= 24 ? rnd.int(256) : len > 16 ? rnd.int(256) & (0xff << (24 - len)) & 0xff : 0;
  return `${first}.${b2}.${b3}.0/${len}`;
}

function v6Prefix(rnd: Random): string {
  return `2001:db8:${rnd.int(0x10000).toString(16)}::/48`;
}

function path(rnd: Random, peer: BenchPeer): number[] {
  const p = [peer.asn];
  const transits = rnd.int(3);
  for (let i = 0; i < transits; i++) {
    const t = rnd.pick(TRANSITS);
    if (!p.includes(t)) p.push(t);
  }
  p.push(originAsn(rnd.int(ORIGINS)));
  return p;
}

/** Route Monitoring messages of one peer: 1–3 prefixes, ~10 % withdrawals, realistic attributes. */
function routeMonitoring(
  rnd: Random,
  peer: BenchPeer,
  t: number,
  prefixes: string[],
  withdraw: boolean,
): Uint8Array {
  const header = { address: peer.address, asn: peer.asn, bgpId: '203.0.113.1', timestamp: t };
  if (withdraw) {
    const update = peer.ipv6
      ? {
          attributes: {
            mpUnreach: { afi: 2, safi: 1, nlri: { afi: 2, safi: 1, prefixes, pathIds: null }, raw: null },
          },
        }
      : { withdrawn: prefixes };
    return encodeBmp({ type: 'route_monitoring', peer: header, update });
  }
  const asPath = path(rnd, peer);
  const communities = [communityFrom(peer.asn & 0xffff, 100 + rnd.int(3))];
  if (rnd.chance(0.5)) communities.push(communityFrom(64496, 3000 + rnd.int(100)));
  const attributes = {
    origin: 'igp' as const,
    asPath: [{ type: 'sequence' as const, asns: asPath }],
    med: rnd.chance(0.3) ? rnd.int(100) : null,
    communities,
    largeCommunities: rnd.chance(0.2) ? ([[peer.asn, 1, 2]] as [number, number, number][]) : null,
  };
  if (peer.ipv6) {
    return encodeBmp({
      type: 'route_monitoring',
      peer: header,
      update: {
        attributes: {
          ...attributes,
          mpReach: {
            afi: 2,
            safi: 1,
            nextHop: peer.address,
            nextHopLinkLocal: null,
            nlri: { afi: 2, safi: 1, prefixes, pathIds: null },
            raw: null,
          },
        },
      },
    });
  }
  return encodeBmp({
    type: 'route_monitoring',
    peer: header,
    update: { announced: prefixes, attributes: { ...attributes, nextHop: peer.address } },
  });
}

/** A pool of distinct Route Monitoring payloads across all routers and peers (cycled to make long streams). */
export function routePool(size: number, t: number, seed = 1): { payloads: Payload[]; routes: number } {
  const rnd = new Random(seed);
  const payloads: Payload[] = [];
  let routes = 0;
  for (let i = 0; i < size; i++) {
    const peer = PEERS[rnd.int(PEERS.length)];
    const n = 1 + rnd.int(3);
    const prefixes = [
      ...new Set(Array.from({ length: n }, () => (peer.ipv6 ? v6Prefix(rnd) : v4Prefix(rnd)))),
    ];
    routes += prefixes.length;
    payloads.push(wrap(peer.router, routeMonitoring(rnd, peer, t, prefixes, rnd.chance(0.1)), t));
  }
  return { payloads, routes };
}

/**
 * One peer's full table: `routes` distinct IPv4 prefixes spread over the address space, packed 1–4 per UPDATE
 * (prefixes with identical attributes share an UPDATE, as BGP speakers send them), then End-of-RIB.
 */
export function tableDump(routes: number, t: number, seed = 2): { payloads: Payload[]; messages: number } {
  const rnd = new Random(seed);
  const peer: BenchPeer = { router: '192.0.2.100', address: '198.51.100.200', asn: 3356, ipv6: false };
  const out = sessionStart([peer], t);
  // Distinct /24s: index j = i * K mod M walks the /24s of 1.0.0.0–223.255.255.0 in scattered order.
  const M = 223 * 65536;
  const K = 2654435761 % M;
  let i = 0;
  while (i < routes) {
    const n = Math.min(1 + rnd.int(4), routes - i);
    const prefixes: string[] = [];
    for (let k = 0; k < n; k++, i++) {
      const j = ((i + 1) * K) % M;
      const a = 0x01000000 + j * 256;
      prefixes.push(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.0/24`);
    }
    out.push(wrap(peer.router, routeMonitoring(rnd, peer, t, prefixes, false), t));
  }
  out.push(
    wrap(
      peer.router,
      encodeBmp({
        type: 'route_monitoring',
        peer: { address: peer.address, asn: peer.asn, bgpId: '203.0.113.1', timestamp: t },
        update: {},
      }),
      t,
    ),
  );
  return { payloads: out, messages: out.length };
}

/** Offset of the per-peer timestamp (seconds, then microseconds) inside an OpenBMP payload. */
function timestampOffset(value: Buffer): number {
  return value.readUInt16BE(6) + 6 + 34;
}

/** 100 distinct filters: prefix ranges, prefix lists, origins, peers, transit-in-path, IPv6 ranges, routers. */
export function clientFilters(n: number, seed = 3): unknown[] {
  const rnd = new Random(seed);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    switch (kind) {
      case 0:
      case 1:
      case 2:
        out.push({ prefixes: [{ prefix: `10.${(i * 4) % 256}.0.0/14`, match: 'more' }] });
        break;
      case 3:
      case 4:
        out.push({
          origin_asns: [
            originAsn(rnd.int(ORIGINS)),
            originAsn(rnd.int(ORIGINS)),
            originAsn(rnd.int(ORIGINS)),
          ],
        });
        break;
      case 5: {
        const prefixes = [];
        for (let k = 0; k < 200; k++)
          prefixes.push({ prefix: `10.${rnd.int(256)}.${rnd.int(256)}.0/24`, match: 'exact' });
        for (let k = 0; k < 20; k++)
          prefixes.push({ prefix: `10.${rnd.int(256)}.${rnd.int(16) * 16}.0/20`, match: 'more' });
        prefixes.push({ prefix: `10.${rnd.int(256)}.${rnd.int(256)}.128/25`, match: 'less' });
        out.push({ prefixes });
        break;
      }
      case 6:
        out.push({ peer_asns: [PEERS[i % PEERS.length].asn], peers: [PEERS[i % PEERS.length].address] });
        break;
      case 7:
        out.push({ path_asns: [TRANSITS[i % TRANSITS.length]], routers: [ROUTERS[i % ROUTERS.length]] });
        break;
      case 8:
        out.push({ prefixes: [{ prefix: `2001:db8:${(i * 0x100).toString(16)}::/40`, match: 'more' }] });
        break;
      default:
        out.push({ routers: [`bench-${ROUTERS[i % ROUTERS.length]}`], kinds: ['withdraw'] });
    }
  }
  return out;
}

/**
 * Produces `rate` messages a second from `pool` (cycled) in 10 ms ticks, each with its produce time as the BMP
 * timestamp (so clients can measure latency), for as long as `tick(sent, elapsedMs)` returns true. Returns the
 * number of messages sent. A send that falls behind is caught up on the next tick.
 */
export async function producePaced(
  producer: Producer,
  topic: string,
  pool: Payload[],
  rate: number,
  tick: (sent: number, elapsedMs: number) => boolean,
): Promise<number> {
  const start = performance.now();
  const TICK_MS = 10;
  const perTick = rate / (1000 / TICK_MS);
  let sent = 0;
  while (tick(sent, performance.now() - start)) {
    const due = Math.floor(((performance.now() - start) / TICK_MS + 1) * perTick);
    const messages: Payload[] = [];
    const now = Date.now();
    for (; sent < due; sent++) {
      const src = pool[sent % pool.length];
      const value = Buffer.from(src.value); // a copy: the timestamp is patched per message
      const at = timestampOffset(value);
      value.writeUInt32BE(Math.floor(now / 1000), at);
      value.writeUInt32BE((now % 1000) * 1000, at + 4);
      messages.push({ key: src.key, value });
    }
    if (messages.length > 0) await producer.send({ topic, messages });
    const next = start + Math.ceil((performance.now() - start) / TICK_MS) * TICK_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  return sent;
}

/**
 * Produces `total` messages: `head` once, then `pool` cycled; through kcat (librdkafka, compressed with
 * `compression`) when installed, else kafkajs (uncompressed).
 */
export async function produceAll(
  kafka: Kafka,
  brokers: string[],
  topic: string,
  head: Payload[],
  pool: Payload[],
  total: number,
  compression: KcatCodec = 'none',
): Promise<void> {
  const at = (i: number) => (i < head.length ? head[i] : pool[(i - head.length) % pool.length]);
  if (hasKcat()) {
    await kcatProduce({ brokers, topic, compression, count: total, at, distinct: [...head, ...pool] });
    return;
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    let inflight: Promise<unknown>[] = [];
    for (let i = 0; i < total; i += 2000) {
      const messages = [];
      for (let k = i; k < Math.min(total, i + 2000); k++) messages.push(at(k));
      inflight.push(producer.send({ topic, messages }));
      if (inflight.length >= 4) {
        await Promise.all(inflight);
        inflight = [];
      }
    }
    await Promise.all(inflight);
  } finally {
    await producer.disconnect();
  }
}
