// A stand-in for apps/server while developing the dashboard: it speaks WebSocket API v1
// (docs/websocket.md) with synthetic routers, peers, route churn and peer flaps, answers the HTTP
// reads, and serves apps/web/dist if built. Not part of the product.
//
//   pnpm --filter @bmpwatch/web mock            # :8080, 200 route events/s
//   PORT=9000 MOCK_RATE=20000 pnpm --filter @bmpwatch/web mock
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiFilter, Peer, PeerEvent, RatePoint, RouteEvent, Router } from '../src/lib/api-types.ts';

const PORT = Number(process.env.PORT ?? 8080);
const RATE = Number(process.env.MOCK_RATE ?? 200);
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const now = () => Date.now() / 1000;

const routers: Router[] = [
  {
    id: '192.0.2.1',
    address: '192.0.2.1',
    name: 'mock-r1',
    descr: 'mock router',
    source: 'demo',
    state: 'up',
    since: now() - 3600,
    peers: 3,
  },
  {
    id: '192.0.2.2',
    address: '192.0.2.2',
    name: 'mock-r2',
    descr: 'mock router',
    source: 'demo',
    state: 'up',
    since: now() - 7200,
    peers: 3,
  },
];
const peers: Peer[] = routers.flatMap((r, ri) =>
  [0, 1, 2].map((i) => {
    const address = `198.51.100.${ri * 10 + i + 1}`;
    const asn = 65000 + ri * 10 + i;
    return {
      key: `${r.id}|${address}`,
      router: r.id,
      address,
      asn,
      bgp_id: address,
      peer_type: 'global',
      distinguisher: '0:0',
      state: 'up' as const,
      since: now() - 600 * (i + 1),
      flaps: 0,
      last_down_reason: null,
      adj_rib_in: 1000 + i * 500,
      announcements: 0,
      withdrawals: 0,
    };
  }),
);
const ORIGINS = [64500, 64501, 64502, 64510, 3356, 174];

function ip4(s: string): number {
  return s.split('.').reduce((n, x) => n * 256 + Number(x), 0);
}

function prefixMatches(prefix: string, f: { prefix: string; match: string }): boolean {
  if (prefix.includes(':') || f.prefix.includes(':')) return prefix === f.prefix;
  const [a, al] = prefix.split('/');
  const [b, bl] = f.prefix.split('/');
  const la = Number(al);
  const lb = Number(bl);
  const within = (x: number, y: number, len: number) =>
    len === 0 || ip4(a) >>> (32 - len) === ip4(b) >>> (32 - len) || x === y;
  if (f.match === 'exact') return prefix === f.prefix;
  if (f.match === 'less') return la <= lb && within(0, 1, la);
  return la >= lb && within(0, 1, lb);
}

function matches(e: RouteEvent, f: ApiFilter): boolean {
  if (f.kinds && !f.kinds.includes(e.kind)) return false;
  if (f.prefixes && !f.prefixes.some((p) => prefixMatches(e.prefix, p))) return false;
  if (f.origin_asns && (e.origin_asn == null || !f.origin_asns.includes(e.origin_asn))) return false;
  if (f.path_asns && !f.path_asns.some((a) => e.path?.flat().includes(a))) return false;
  if (f.peer_asns && !f.peer_asns.includes(e.peer_asn)) return false;
  if (f.peers && !f.peers.includes(e.peer)) return false;
  if (
    f.routers &&
    !f.routers.some((r) => r === e.router || routers.find((x) => x.id === e.router)?.name === r)
  )
    return false;
  return true;
}

let seq = 0;
function routeEvent(): RouteEvent {
  const up = peers.filter((p) => p.state === 'up');
  const p = up[seq++ % Math.max(1, up.length)] ?? peers[0];
  const origin = ORIGINS[Math.floor(Math.random() * ORIGINS.length)];
  const third = Math.floor(Math.random() * 64);
  const prefix = `10.${origin % 256}.${third}.0/24`;
  if (Math.random() < 0.15) {
    return { kind: 'withdraw', ts: now(), router: p.router, peer: p.address, peer_asn: p.asn, prefix };
  }
  return {
    kind: 'announce',
    ts: now(),
    router: p.router,
    peer: p.address,
    peer_asn: p.asn,
    peer_type: 'global',
    post_policy: false,
    adj_rib_out: false,
    path_id: null,
    prefix,
    path: [p.asn, 3356, origin],
    origin_asn: origin,
    origin: 'igp',
    next_hop: p.address,
    med: null,
    local_pref: null,
    communities: [`${p.asn}:100`],
    large_communities: [],
    ext_communities: [],
  };
}

interface Client {
  ws: WebSocket;
  filter: ApiFilter | null;
  routes: RouteEvent[];
  peers: PeerEvent[];
  dropped: number;
}
const clients = new Set<Client>();
const history: RatePoint[] = [];
let second = {
  a: 0,
  w: 0,
  perRouter: new Map<string, { a: number; w: number }>(),
  perPeer: new Map<string, { a: number; w: number }>(),
};

const send = (ws: WebSocket, msg: object) => ws.send(JSON.stringify({ v: 1, ...msg }));

setInterval(() => {
  const n = Math.round(RATE / 10);
  for (let i = 0; i < n; i++) {
    const e = routeEvent();
    const k = e.kind === 'announce' ? 'a' : 'w';
    second[k]++;
    for (const [m, key] of [
      [second.perRouter, e.router],
      [second.perPeer, `${e.router}|${e.peer}`],
    ] as const) {
      const v = m.get(key) ?? { a: 0, w: 0 };
      v[k]++;
      m.set(key, v);
    }
    for (const c of clients) {
      if (!c.filter || !matches(e, c.filter)) continue;
      if (c.routes.length >= 20_000) c.dropped++;
      else c.routes.push(e);
    }
  }
  for (const c of clients) {
    if (c.dropped && c.routes.length < 1000) {
      send(c.ws, { type: 'dropped', count: c.dropped, reason: 'slow_client' });
      c.dropped = 0;
    }
    if (c.routes.length || c.peers.length) {
      send(c.ws, { type: 'batch', t: now(), routes: c.routes, peers: c.peers, routers: [] });
      c.routes = [];
      c.peers = [];
    }
  }
}, 100);

setInterval(() => {
  const t = Math.floor(now()) - 1;
  history.push({ t, a: second.a, w: second.w });
  if (history.length > 900) history.shift();
  const frame = {
    type: 'rates',
    t,
    global: { a: second.a, w: second.w },
    routers: Object.fromEntries(second.perRouter),
    peers: Object.fromEntries(second.perPeer),
    ingest: { messages: second.a + second.w, bytes: (second.a + second.w) * 120 },
  };
  for (const c of clients) send(c.ws, frame);
  second = { a: 0, w: 0, perRouter: new Map(), perPeer: new Map() };
}, 1000);

// A peer goes down every 30 s and comes back 10 s later.
setInterval(() => {
  const p = peers[Math.floor(Math.random() * peers.length)];
  if (p.state !== 'up') return;
  p.state = 'down';
  p.since = now();
  p.flaps++;
  p.last_down_reason = 'remote_notification: cease/administrative_shutdown';
  broadcastPeer({ kind: 'peer_down', ts: p.since, peer: { ...p }, reason: p.last_down_reason });
  setTimeout(() => {
    p.state = 'up';
    p.since = now();
    broadcastPeer({ kind: 'peer_up', ts: p.since, peer: { ...p }, reason: null });
  }, 10_000);
}, 30_000);

function broadcastPeer(ev: PeerEvent) {
  for (const c of clients) if (!c.filter?.kinds || c.filter.kinds.includes('peer')) c.peers.push(ev);
}

const sources = [
  { id: 'demo', kind: 'demo', status: 'ok', detail: `${RATE} events/s (mock)`, messages: 0, errors: 0 },
];
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws) => {
  const c: Client = { ws, filter: null, routes: [], peers: [], dropped: 0 };
  clients.add(c);
  send(ws, {
    type: 'hello',
    server: 'bmpwatch-mock',
    version: '0.0.0-mock',
    snapshot: { routers, peers, sources, rates: { interval_s: 1, series: history } },
  });
  ws.on('message', (data) => {
    let msg: { type?: string; id?: string; filter?: ApiFilter };
    try {
      msg = JSON.parse(String(data));
    } catch {
      send(ws, { type: 'error', code: 'WS_ERR_BAD_JSON', message: 'not JSON' });
      return;
    }
    if (msg.type === 'subscribe') {
      c.filter = msg.filter ?? {};
      send(ws, { type: 'subscribed', id: msg.id, filter: c.filter });
    } else if (msg.type === 'unsubscribe') c.filter = null;
    else if (msg.type === 'ping') send(ws, { type: 'pong', id: msg.id, t: now() });
    else
      send(ws, {
        type: 'error',
        code: 'WS_ERR_BAD_MESSAGE',
        message: `unknown type ${msg.type}`,
        id: msg.id,
      });
  });
  ws.on('close', () => clients.delete(c));
});

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/api/health') return json({ status: 'ok', sources });
  if (url.pathname === '/api/peers') return json({ peers });
  if (url.pathname === '/api/routers') return json({ routers });
  if (url.pathname === '/api/rates') return json({ interval_s: 1, series: history });
  let file = normalize(join(DIST, url.pathname === '/' ? 'index.html' : url.pathname));
  if (!file.startsWith(DIST)) file = join(DIST, 'index.html');
  try {
    if (!statSync(file).isFile()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch {
    res.writeHead(404).end('not found (run vite build for the static app)');
  }
});
server.on('upgrade', (req, socket, head) => {
  if (!req.url?.startsWith('/api/ws')) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(PORT, '127.0.0.1', () =>
  console.log(`mock bmpwatch API on http://127.0.0.1:${PORT} (${RATE} events/s)`),
);
