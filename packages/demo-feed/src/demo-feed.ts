/**
 * A synthetic BMP feed built with the encoder: several routers, each with IPv4 and IPv6 peers, that dump their
 * tables, then churn (path changes, withdrawals, re-announcements), flap (Peer Down with realistic reasons,
 * then Peer Up and a fresh dump) and send Statistics Reports. Deterministic for a given seed and clock, with no
 * timers or I/O of its own: the demo source drives it live, `bmpwatch produce` and the benchmark drive it as
 * fast as they like.
 */
import { createHash } from 'node:crypto';
import { formatIPv4, formatIPv6 } from '@bmpwatch/bmp';
import { type BmpMessageInput, communityFrom, encodeBmp, typicalOpen } from '@bmpwatch/bmp/encode';

export interface DemoOptions {
  routers: number;
  /** Peers per router. */
  peers: number;
  /** Routes in each peer's table dump. */
  prefixes: number;
  /** Churn: UPDATE messages per second, all routers together. */
  rate: number;
  seed?: number;
  /** Mean seconds between peer flaps (per feed). Default 45. */
  flapEvery?: number;
  /** Seconds between Statistics Reports per peer. Default 15. */
  statsEvery?: number;
  /** Most messages one step emits for table dumps (the rest follow in later steps). Default 2000. */
  dumpBudget?: number;
}

export interface DemoMessage {
  /** Router id (its address). */
  router: string;
  bytes: Uint8Array;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same feed. */
export class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const SITES = ['ams', 'fra', 'lon', 'nyc', 'sin', 'sjc', 'par', 'tyo', 'syd', 'gru'];
/** Documentation ASNs (RFC 5398) play the transit providers, so paths look like paths. */
const TRANSITS = [64496, 64497, 64498, 64499, 64500, 64501, 64502, 64503, 65536, 65537, 65538];
const DOWN_REASONS: { reason: number; code?: number; subcode?: number; fsm?: number; text?: string }[] = [
  { reason: 3, code: 6, subcode: 2, text: 'maintenance' }, // remote cease / administrative shutdown
  { reason: 3, code: 4, subcode: 0 }, // remote hold timer expired
  { reason: 1, code: 6, subcode: 4 }, // local cease / administrative reset
  { reason: 2, fsm: 0 }, // local, no notification
  { reason: 4 }, // remote closed without notification
  { reason: 1, code: 6, subcode: 1 }, // maximum prefixes reached
];

interface Route {
  /** Index into the prefix universe of the peer's family. */
  prefix: number;
  path: number[];
  communities: number[];
  med: number | null;
}

interface DemoPeer {
  router: DemoRouter;
  address: string;
  asn: number;
  bgpId: string;
  ipv6: boolean;
  nextHop: string;
  up: boolean;
  /** When a down peer comes back (ms). */
  backAt: number;
  nextStatsAt: number;
  /** prefix index → current route. */
  table: Map<number, Route>;
}

interface DemoRouter {
  id: string;
  name: string;
  asn: number;
  peers: DemoPeer[];
  started: boolean;
}

/** The prefix universe: distinct, realistic-length prefixes spread over the address space, built on demand. */
class Universe {
  private readonly v4: string[] = [];
  private readonly v6: string[] = [];
  private readonly origins4: number[] = [];
  private readonly origins6: number[] = [];

  constructor(rnd: Random, size4: number, size6: number) {
    const b = new Uint8Array(16);
    // /24 index j = i * K mod M walks all /24s of 1.0.0.0–223.255.255.0 in a scattered order, so no two coincide.
    const M = 223 * 65536;
    const K = 2654435761 % M;
    const lengths4 = [24, 24, 24, 24, 24, 24, 23, 22, 22, 21, 20, 19, 18, 16];
    let origin4 = 0;
    for (let i = 0; i < size4; i++) {
      const j = ((i + 1) * K) % M;
      const n = 0x01000000 + j * 256;
      b[0] = n >>> 24;
      b[1] = (n >>> 16) & 255;
      b[2] = (n >>> 8) & 255;
      b[3] = 0;
      const len = rnd.pick(lengths4);
      maskBytes(b, len);
      this.v4.push(formatIPv4(b, 0) + '/' + len);
      // Origins come in runs: one AS announces several neighbouring prefixes.
      if (i === 0 || rnd.chance(0.35)) origin4 = originFor(rnd);
      this.origins4.push(origin4);
    }
    const lengths6 = [48, 48, 48, 44, 40, 36, 32, 32, 29];
    let origin = 0;
    for (let i = 0; i < size6; i++) {
      b.fill(0);
      // 2a0X:XXXX:YYYY::/len with X from a scattered index and Y from the sequence number, masked to len.
      const j = ((i + 1) * 40503) & 0xfffff;
      b[0] = 0x2a;
      b[1] = j >>> 16;
      b[2] = (j >>> 8) & 0xff;
      b[3] = j & 0xff;
      b[4] = (i >>> 8) & 0xff;
      b[5] = i & 0xff;
      const len = rnd.pick(lengths6);
      maskBytes(b, len);
      this.v6.push(formatIPv6(b, 0) + '/' + len);
      if (i === 0 || rnd.chance(0.35)) origin = originFor(rnd);
      this.origins6.push(origin);
    }
  }

  prefix(ipv6: boolean, i: number): string {
    return ipv6 ? this.v6[i] : this.v4[i];
  }

  origin(ipv6: boolean, i: number): number {
    return ipv6 ? this.origins6[i] : this.origins4[i];
  }

  size(ipv6: boolean): number {
    return ipv6 ? this.v6.length : this.v4.length;
  }
}

/** Clears the bits of `b` from `len` on. */
function maskBytes(b: Uint8Array, len: number): void {
  for (let bit = len; bit < b.length * 8; bit++) b[bit >> 3] &= ~(0x80 >> (bit & 7));
}

/** Origins: mostly 2-byte private ASNs, some 4-byte ones, a few documentation ASNs (as real tables mix them). */
function originFor(rnd: Random): number {
  const r = rnd.next();
  if (r < 0.6) return 64512 + rnd.int(1000);
  if (r < 0.9) return 4200000000 + rnd.int(5000);
  return rnd.pick(TRANSITS);
}

export function routerHash(routerIp: string): string {
  return createHash('md5').update(routerIp).digest('hex');
}

export class DemoFeed {
  readonly routers: DemoRouter[] = [];
  private readonly rnd: Random;
  private readonly universe: Universe;
  private readonly queue: DemoMessage[] = [];
  private queueHead = 0;
  private churnCarry = 0;
  private nextFlapAt = 0;
  private lastStep = -1;
  private readonly flapEveryMs: number;
  private readonly statsEveryMs: number;
  private readonly dumpBudget: number;

  constructor(private readonly opts: DemoOptions) {
    this.rnd = new Random(opts.seed ?? 1);
    this.flapEveryMs = (opts.flapEvery ?? 45) * 1000;
    this.statsEveryMs = (opts.statsEvery ?? 15) * 1000;
    this.dumpBudget = opts.dumpBudget ?? 2000;
    // Peers pick their tables from a shared universe a bit larger than one table, so tables overlap like
    // real ones (the same prefix from several peers with different paths) without being identical.
    const size = Math.ceil(opts.prefixes * 1.25) + 10;
    this.universe = new Universe(this.rnd, size, size);
    for (let r = 0; r < opts.routers; r++) {
      const router: DemoRouter = {
        id: `192.0.2.${r + 1}`,
        name: `demo-${SITES[r % SITES.length]}${r >= SITES.length ? Math.floor(r / SITES.length) + 1 : ''}-r1`,
        asn: 65000,
        peers: [],
        started: false,
      };
      for (let p = 0; p < opts.peers; p++) {
        // Every third peer is IPv6; peer ASNs mix transit providers and 4-byte customers.
        const ipv6 = p % 3 === 2;
        const n = r * 100 + p + 10;
        const asn = p % 2 === 0 ? TRANSITS[(r + p) % TRANSITS.length] : 4200000000 + 100 * r + p;
        router.peers.push({
          router,
          address: ipv6 ? `2001:db8:${r + 1}::${n.toString(16)}` : `198.51.100.${n % 250}`,
          asn,
          bgpId: `203.0.113.${n % 250}`,
          ipv6,
          nextHop: ipv6 ? `2001:db8:${r + 1}::${n.toString(16)}` : `198.51.100.${n % 250}`,
          up: false,
          backAt: 0,
          nextStatsAt: 0,
          table: new Map(),
        });
      }
      this.routers.push(router);
    }
  }

  /**
   * Everything due at `now` (ms): first the routers' Initiation and each peer's Peer Up and table dump (spread
   * over steps by the dump budget), then churn for the time since the previous step, flaps and statistics.
   */
  step(now: number): DemoMessage[] {
    const out: DemoMessage[] = [];
    const ts = now / 1000;
    for (const r of this.routers) {
      if (r.started) continue;
      r.started = true;
      out.push(this.initiation(r));
      for (const p of r.peers) this.bringUp(p, ts);
      this.nextFlapAt = now + this.flapEveryMs * (0.5 + this.rnd.next());
    }
    for (const r of this.routers) {
      for (const p of r.peers) {
        if (!p.up && p.backAt > 0 && now >= p.backAt) this.bringUp(p, ts);
      }
    }
    // Table dumps go out in order, up to the budget per step.
    let budget = this.dumpBudget;
    while (budget-- > 0 && this.queueHead < this.queue.length) out.push(this.queue[this.queueHead++]);
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
    if (this.lastStep >= 0) {
      this.churnCarry += ((now - this.lastStep) / 1000) * this.opts.rate;
      const n = Math.floor(this.churnCarry);
      this.churnCarry -= n;
      for (let i = 0; i < n; i++) {
        const m = this.churn(ts);
        if (m) out.push(m);
      }
    }
    this.lastStep = now;
    if (this.flapEveryMs > 0 && now >= this.nextFlapAt && this.nextFlapAt > 0) {
      this.nextFlapAt = now + this.flapEveryMs * (0.5 + this.rnd.next());
      const m = this.flap(now);
      if (m) out.push(m);
    }
    for (const r of this.routers) {
      for (const p of r.peers) {
        if (p.up && now >= p.nextStatsAt) {
          p.nextStatsAt = now + this.statsEveryMs;
          out.push(this.stats(p, ts));
        }
      }
    }
    return out;
  }

  /** Termination messages for every router (a clean shutdown of the feed). */
  terminate(): DemoMessage[] {
    return this.routers
      .filter((r) => r.started)
      .map((r) => ({
        router: r.id,
        bytes: encodeBmp({
          type: 'termination',
          information: [
            { type: 0, value: 'demo feed stopped' },
            { type: 1, raw: new Uint8Array([0, 0]) },
          ],
        }),
      }));
  }

  private initiation(r: DemoRouter): DemoMessage {
    return {
      router: r.id,
      bytes: encodeBmp({
        type: 'initiation',
        information: [
          { type: 2, value: r.name },
          { type: 1, value: 'bmpwatch demo router (synthetic feed)' },
        ],
      }),
    };
  }

  private peerHeader(p: DemoPeer, ts: number) {
    return { address: p.address, asn: p.asn, bgpId: p.bgpId, timestamp: ts };
  }

  private bringUp(p: DemoPeer, ts: number): void {
    p.up = true;
    p.backAt = 0;
    p.nextStatsAt = ts * 1000 + this.statsEveryMs * this.rnd.next();
    const r = p.router;
    this.queue.push({
      router: r.id,
      bytes: encodeBmp({
        type: 'peer_up',
        peer: this.peerHeader(p, ts),
        localAddress: p.ipv6 ? `2001:db8:${r.id.split('.')[3]}::1` : r.id,
        localPort: 179,
        remotePort: 30000 + this.rnd.int(30000),
        sentOpen: typicalOpen(r.asn, r.id, {
          families: [{ afi: p.ipv6 ? 2 : 1, safi: 1 }],
          routeRefresh: true,
        }),
        receivedOpen: typicalOpen(p.asn, p.bgpId, {
          families: [{ afi: p.ipv6 ? 2 : 1, safi: 1 }],
          routeRefresh: true,
        }),
      }),
    });
    // A fresh table: pick `prefixes` routes from the universe (a contiguous window at a per-peer offset).
    p.table.clear();
    const size = this.universe.size(p.ipv6);
    const offset = this.rnd.int(size);
    const count = Math.min(this.opts.prefixes, size);
    let prev: Route | null = null;
    for (let k = 0; k < count; k++) {
      const i = (offset + k) % size;
      // Neighbouring prefixes of one origin usually share the whole path, as in real tables.
      const origin = this.universe.origin(p.ipv6, i);
      const route: Route =
        prev !== null && prev.path[prev.path.length - 1] === origin && this.rnd.chance(0.85)
          ? { ...prev, prefix: i }
          : this.route(p, i);
      p.table.set(i, route);
      prev = route;
    }
    // Pack the dump like routers do: consecutive routes sharing attributes go in one UPDATE.
    let batch: number[] = [];
    let last: Route | null = null;
    const flush = () => {
      if (batch.length > 0 && last) this.queue.push(this.announce(p, batch, last, ts));
      batch = [];
    };
    for (const [i, route] of p.table) {
      if (last === null || batch.length >= 24 || !samePath(last, route)) {
        flush();
        last = route;
      }
      batch.push(i);
    }
    flush();
    this.queue.push(this.endOfRib(p, ts));
  }

  /** A route for prefix `i` as seen from peer `p`: its AS, 0–2 transits (sometimes prepended), the origin. */
  private route(p: DemoPeer, i: number): Route {
    const origin = this.universe.origin(p.ipv6, i);
    const path = [p.asn];
    const hops = this.rnd.int(3);
    for (let h = 0; h < hops; h++) {
      const t = this.rnd.pick(TRANSITS);
      if (t !== path[path.length - 1] && t !== origin) path.push(t);
    }
    if (origin !== path[path.length - 1]) path.push(origin);
    if (this.rnd.chance(0.08)) path.push(origin, origin); // prepending
    const communities = [communityFrom(p.asn & 0xffff, 100 + this.rnd.int(5))];
    if (this.rnd.chance(0.3)) communities.push(communityFrom(64496, 3000 + this.rnd.int(50)));
    return { prefix: i, path, communities, med: this.rnd.chance(0.4) ? this.rnd.int(200) : null };
  }

  private announce(p: DemoPeer, prefixes: number[], route: Route, ts: number): DemoMessage {
    const text = prefixes.map((i) => this.universe.prefix(p.ipv6, i));
    const attributes: BmpMessageInput & { type: 'route_monitoring' } = {
      type: 'route_monitoring',
      peer: this.peerHeader(p, ts),
      update: {
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: route.path }],
          med: route.med,
          communities: route.communities,
          largeCommunities: p.asn > 0xffff ? [[p.asn, 1, route.path.length]] : null,
          extCommunities: route.prefix % 7 === 0 ? [`rt:${p.router.asn}:${route.prefix % 100}`] : null,
        },
      },
    };
    const a = attributes.update.attributes!;
    if (p.ipv6) {
      a.mpReach = {
        afi: 2,
        safi: 1,
        nextHop: p.nextHop,
        nextHopLinkLocal: null,
        nlri: { afi: 2, safi: 1, prefixes: text, pathIds: null },
        raw: null,
      };
    } else {
      a.nextHop = p.nextHop;
      attributes.update.announced = text;
    }
    return { router: p.router.id, bytes: encodeBmp(attributes) };
  }

  private withdraw(p: DemoPeer, prefixes: number[], ts: number): DemoMessage {
    const text = prefixes.map((i) => this.universe.prefix(p.ipv6, i));
    const update = p.ipv6
      ? {
          attributes: {
            mpUnreach: {
              afi: 2,
              safi: 1,
              nlri: { afi: 2, safi: 1, prefixes: text, pathIds: null },
              raw: null,
            },
          },
        }
      : { withdrawn: text };
    return {
      router: p.router.id,
      bytes: encodeBmp({ type: 'route_monitoring', peer: this.peerHeader(p, ts), update }),
    };
  }

  private endOfRib(p: DemoPeer, ts: number): DemoMessage {
    const update = p.ipv6
      ? {
          attributes: {
            mpUnreach: { afi: 2, safi: 1, nlri: { afi: 2, safi: 1, prefixes: [], pathIds: null }, raw: null },
          },
        }
      : {};
    return {
      router: p.router.id,
      bytes: encodeBmp({ type: 'route_monitoring', peer: this.peerHeader(p, ts), update }),
    };
  }

  /** One UPDATE from a random up peer: mostly path changes, some withdrawals and re-announcements. */
  private churn(ts: number): DemoMessage | null {
    const peers = this.routers.flatMap((r) => r.peers.filter((p) => p.up));
    if (peers.length === 0) return null;
    const p = this.rnd.pick(peers);
    const size = this.universe.size(p.ipv6);
    const roll = this.rnd.next();
    if (roll < 0.25 && p.table.size > 0) {
      // Withdraw 1–3 routes the peer has.
      const keys = [...p.table.keys()];
      const gone = new Set<number>();
      const n = 1 + this.rnd.int(3);
      for (let k = 0; k < n; k++) gone.add(this.rnd.pick(keys));
      for (const i of gone) p.table.delete(i);
      return this.withdraw(p, [...gone], ts);
    }
    // Announce: a path change for a route it has, or a route it does not have (yet).
    const i = roll < 0.8 && p.table.size > 0 ? this.rnd.pick([...p.table.keys()]) : this.rnd.int(size);
    const route = this.route(p, i);
    p.table.set(i, route);
    return this.announce(p, [i], route, ts);
  }

  private flap(now: number): DemoMessage | null {
    const up = this.routers.flatMap((r) => r.peers.filter((p) => p.up));
    if (up.length === 0) return null;
    const p = this.rnd.pick(up);
    p.up = false;
    p.table.clear();
    p.backAt = now + 5000 + this.rnd.int(10000);
    const why = this.rnd.pick(DOWN_REASONS);
    return {
      router: p.router.id,
      bytes: encodeBmp({
        type: 'peer_down',
        peer: this.peerHeader(p, now / 1000),
        reason: why.reason,
        notification:
          why.code !== undefined
            ? { code: why.code, subcode: why.subcode ?? 0, shutdownMessage: why.text ?? null }
            : null,
        fsmCode: why.fsm ?? null,
      }),
    };
  }

  private stats(p: DemoPeer, ts: number): DemoMessage {
    return {
      router: p.router.id,
      bytes: encodeBmp({
        type: 'statistics_report',
        peer: this.peerHeader(p, ts),
        stats: [
          { type: 7, value: p.table.size },
          { type: 9, afi: p.ipv6 ? 2 : 1, safi: 1, value: p.table.size },
          { type: 0, value: this.rnd.int(20) },
        ],
      }),
    };
  }
}

function samePath(a: Route, b: Route): boolean {
  if (a.path.length !== b.path.length || a.med !== b.med || a.communities.length !== b.communities.length)
    return false;
  for (let i = 0; i < a.path.length; i++) if (a.path[i] !== b.path[i]) return false;
  for (let i = 0; i < a.communities.length; i++) if (a.communities[i] !== b.communities[i]) return false;
  return true;
}
