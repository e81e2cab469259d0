/**
 * Seeded benchmark input, built with the project's own encoder (issue: `pnpm bench:decode`):
 * Initiation, Peer Ups, then N Route Monitoring messages from IPv4 peers — 4-byte AS_PATH of 3–6 hops,
 * NEXT_HOP, MED, 1–4 communities, 1–3 IPv4 prefixes; every 10th IPv6 via MP_REACH; every 20th a withdrawal —
 * then Peer Downs. Written raw and OpenBMP-wrapped, and cached (generating takes longer than decoding).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  type BmpMessageInput,
  encodeBmp,
  type PerPeerHeaderInput,
  wrapOpenBmp,
} from '../src/encode/index.ts';

/** mulberry32: small, fast, seedable; good enough to vary benchmark inputs reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchFiles {
  raw: string;
  openbmp: string;
  messages: number;
}

const PEERS = 8;

function peerHeader(i: number, ts: number): PerPeerHeaderInput {
  return { address: `192.0.2.${10 + i}`, asn: 4200000000 + i, bgpId: `192.0.2.${10 + i}`, timestamp: ts };
}

function open(asn: number, id: string) {
  return {
    version: 4,
    asn,
    holdTime: 90,
    bgpId: id,
    capabilities: [
      { code: 1 as const, name: 'multiprotocol' as const, afi: 1, safi: 1 },
      { code: 1 as const, name: 'multiprotocol' as const, afi: 2, safi: 1 },
      { code: 65 as const, name: 'four_octet_as' as const, asn },
    ],
  };
}

function* messages(n: number, seed: number): Generator<Uint8Array> {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const t0 = 1_764_000_000;
  yield encodeBmp({
    type: 'initiation',
    information: [
      { type: 2, value: 'bench-r1' },
      { type: 1, value: 'bmpwatch benchmark' },
    ],
  });
  for (let p = 0; p < PEERS; p++) {
    yield encodeBmp({
      type: 'peer_up',
      peer: peerHeader(p, t0),
      localAddress: '192.0.2.1',
      localPort: 179,
      remotePort: 40000 + p,
      sentOpen: open(65000, '192.0.2.1'),
      receivedOpen: open(4200000000 + p, `192.0.2.${10 + p}`),
    });
  }
  for (let i = 1; i <= n; i++) {
    const p = i % PEERS;
    const peer = peerHeader(p, t0 + i / 1000);
    const nPrefixes = int(1, 3);
    let msg: BmpMessageInput;
    if (i % 20 === 0) {
      const prefixes: string[] = [];
      for (let k = 0; k < nPrefixes; k++) prefixes.push(`${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.0/24`);
      msg = { type: 'route_monitoring', peer, update: { withdrawn: prefixes } };
    } else {
      const hops = int(3, 6);
      const asns: number[] = [4200000000 + p];
      for (let h = 1; h < hops; h++) asns.push(r() < 0.3 ? int(65536, 4_000_000_000) : int(1, 64511));
      const communities: number[] = [];
      for (let c = int(1, 4); c > 0; c--)
        communities.push(((asns[int(0, hops - 1)] & 0xffff) * 65536 + int(0, 65535)) >>> 0);
      const attributes = {
        origin: 'igp' as const,
        asPath: [{ type: 'sequence' as const, asns }],
        nextHop: `192.0.2.${10 + p}`,
        med: int(0, 1000),
        communities,
      };
      if (i % 10 === 0) {
        const prefixes: string[] = [];
        for (let k = 0; k < nPrefixes; k++)
          prefixes.push(`2001:db8:${int(0, 0xffff).toString(16)}:${int(0, 0xffff).toString(16)}::/64`);
        msg = {
          type: 'route_monitoring',
          peer,
          update: {
            attributes: {
              ...attributes,
              nextHop: undefined,
              mpReach: {
                afi: 2,
                safi: 1,
                nextHop: `2001:db8::${10 + p}`,
                nextHopLinkLocal: null,
                nlri: { afi: 2, safi: 1, prefixes, pathIds: null },
                raw: null,
              },
            },
          },
        };
      } else {
        const prefixes: string[] = [];
        for (let k = 0; k < nPrefixes; k++) {
          const len = int(16, 24);
          const a = (int(1, 223) << 24) | (int(0, 255) << 16) | (int(0, 255) << 8);
          const masked = len >= 24 ? a : a & ~((1 << (32 - len)) - 1);
          prefixes.push(`${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.0/${len}`);
        }
        msg = { type: 'route_monitoring', peer, update: { announced: prefixes, attributes } };
      }
    }
    yield encodeBmp(msg);
  }
  for (let p = 0; p < PEERS; p++) {
    yield encodeBmp({
      type: 'peer_down',
      peer: peerHeader(p, t0 + n / 1000 + 1),
      reason: 1,
      notification: { code: 6, subcode: 2, shutdownMessage: 'benchmark over' },
    });
  }
}

function routerHash(i: number): string {
  return (0x10000000 + i).toString(16).padStart(32, 'a');
}

/** Writes (or reuses) the two files for `n` messages and `seed`. */
export function benchFiles(
  n: number,
  seed: number,
  dir = join(homedir(), '.cache', 'bmpwatch', 'bench'),
): BenchFiles {
  mkdirSync(dir, { recursive: true });
  const raw = join(dir, `decode-${seed}-${n}.bmp`);
  const openbmp = join(dir, `decode-${seed}-${n}.obmp`);
  const meta = join(dir, `decode-${seed}-${n}.json`);
  if (existsSync(raw) && existsSync(openbmp) && existsSync(meta)) {
    return { raw, openbmp, messages: JSON.parse(readFileSync(meta, 'utf8')).messages };
  }
  const rawParts: Uint8Array[] = [];
  const obmpParts: Uint8Array[] = [];
  let count = 0;
  const t = 1_764_000_000;
  for (const m of messages(n, seed)) {
    rawParts.push(m);
    obmpParts.push(
      wrapOpenBmp(m, {
        collectionTime: t + count * 0.001,
        adminId: 'bench-collector',
        routerIp: '192.0.2.1',
        routerHash: routerHash(1),
      }),
    );
    count++;
  }
  writeFileSync(raw + '.tmp', Buffer.concat(rawParts));
  writeFileSync(openbmp + '.tmp', Buffer.concat(obmpParts));
  renameSync(raw + '.tmp', raw);
  renameSync(openbmp + '.tmp', openbmp);
  writeFileSync(meta, JSON.stringify({ messages: count, seed, n }));
  return { raw, openbmp, messages: count };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const started = performance.now();
  const f = benchFiles(n, Number(process.argv[3] ?? 1));
  console.log(JSON.stringify({ ...f, seconds: ((performance.now() - started) / 1000).toFixed(1) }));
}
