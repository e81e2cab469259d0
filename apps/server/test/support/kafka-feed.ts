/**
 * A deterministic OpenBMP dataset for Kafka tests: one router with an IPv4 and an IPv6 peer, announcements and
 * withdrawals with varied prefixes, paths and origins, and the route facts each one should produce, so a test
 * can compute exactly what every filter must deliver.
 */
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { Random, routerHash } from '@bmpwatch/demo-feed';
import { Kafka, logLevel } from 'kafkajs';
import { formatKey } from '../../src/prefix/canonical.ts';
import { keyOf } from '../../src/prefix/prefix-key.ts';
import { msg, type TestPeer } from './bmp-router.ts';
import type { RouteFacts } from './reference-matcher.ts';

export const PEER_V4: TestPeer = { address: '192.0.2.11', asn: 4200000001, bgpId: '192.0.2.11' };
const PEER_V6: TestPeer = { address: '2001:db8::12', asn: 65012, bgpId: '192.0.2.12' };

export interface Dataset {
  /** OpenBMP payloads, in order. */
  payloads: Uint8Array[];
  /** What each route event should look like to a filter, in order. */
  facts: RouteFacts[];
  routerIp: string;
  sysName: string;
}

export function openBmp(bmp: Uint8Array, routerIp: string, t = 1_700_000_000): Uint8Array {
  return wrapOpenBmp(bmp, {
    collectionTime: t,
    adminId: 'test-collector',
    routerIp,
    routerHash: routerHash(routerIp),
  });
}

export function dataset(routerIp: string, sysName: string, updates: number, seed = 1): Dataset {
  const rnd = new Random(seed);
  const payloads: Uint8Array[] = [];
  const facts: RouteFacts[] = [];
  const add = (bmp: Uint8Array) => payloads.push(openBmp(bmp, routerIp));
  add(msg.initiation(sysName));
  add(msg.peerUp(PEER_V4));
  add(msg.peerUp(PEER_V6));
  const announced: { peer: TestPeer; prefix: string }[] = [];
  // What the server remembers for origin/path filters: the last announced path per peer and prefix, until
  // withdrawn (clients in the tests subscribe before anything is produced).
  const live = new Map<string, number[]>();
  for (let u = 0; u < updates; u++) {
    const v6 = rnd.chance(0.3);
    const peer = v6 ? PEER_V6 : PEER_V4;
    if (announced.length > 0 && rnd.chance(0.2)) {
      // Withdraw something this peer announced (IPv4 withdrawals only: the helper writes the IPv4 field).
      const own = announced.filter((a) => a.peer === PEER_V4);
      if (own.length > 0) {
        const w = own[rnd.int(own.length)];
        add(msg.withdraw(PEER_V4, [w.prefix]));
        const key = `${PEER_V4.address}|${w.prefix}`;
        facts.push(fact('withdraw', w.prefix, live.get(key) ?? null, PEER_V4, routerIp, sysName));
        live.delete(key);
        continue;
      }
    }
    const n = 1 + rnd.int(4);
    const prefixes: string[] = [];
    for (let i = 0; i < n; i++) {
      if (v6)
        prefixes.push(
          `2001:db8:${rnd.int(8).toString(16)}:${(rnd.int(4) * 256).toString(16)}::/${40 + rnd.int(4) * 8}`,
        );
      else
        prefixes.push(
          `10.${rnd.pick([0, 1, 100, 200, 201])}.${rnd.int(4) * 64}.0/${rnd.pick([16, 18, 20, 24])}`,
        );
    }
    const canon = [...new Set(prefixes.map(canonical))];
    const path = [
      peer.asn,
      ...(rnd.chance(0.5) ? [3356] : []),
      ...(rnd.chance(0.3) ? [174, 174] : []),
      64500 + rnd.int(5),
    ];
    add(msg.announce(peer, canon, path));
    for (const p of canon) {
      facts.push(fact('announce', p, path, peer, routerIp, sysName));
      live.set(`${peer.address}|${p}`, path);
      announced.push({ peer, prefix: p });
    }
  }
  return { payloads, facts, routerIp, sysName };
}

function canonical(p: string): string {
  return formatKey(keyOf(p)!);
}

function fact(
  kind: 'announce' | 'withdraw',
  prefix: string,
  path: number[] | null,
  peer: TestPeer,
  router: string,
  routerName: string,
): RouteFacts {
  return {
    kind,
    prefix,
    originAsn: path ? path[path.length - 1] : null,
    path,
    peerAsn: peer.asn,
    peer: peer.address,
    router,
    routerName,
    routerGroup: null,
  };
}

export function kafkaClient(brokers: string[], clientId = 'bmpwatch-test'): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 12 },
  });
}

/** Produces payloads keyed by router hash (as OpenBMP does), in order. */
export async function produce(
  kafka: Kafka,
  topic: string,
  routerIp: string,
  payloads: (Uint8Array | null)[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    const key = Buffer.from(routerHash(routerIp), 'hex');
    for (let i = 0; i < payloads.length; i += 500) {
      await producer.send({
        topic,
        messages: payloads.slice(i, i + 500).map((p) => ({ key, value: p === null ? null : Buffer.from(p) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export async function createTopics(kafka: Kafka, topics: string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
