/**
 * `pnpm exec tsx apps/server/bench/rislive.bench.ts`: what the RIS Live sink costs the pipeline, in process,
 * on fixed encoded Route Monitoring messages (20 prefixes each). Rows: the dashboard hub alone; the hub and
 * the RIS Live sink with no RIS Live client (the fast path must be unchanged); one RIS Live client with a
 * narrow prefix subscription, an origin-only path (both decided on the scan), a general path (every message
 * decoded in full), or every UPDATE (full decode + one frame per message).
 */
import Fastify from 'fastify';
import { Hub } from '../src/fanout/hub.ts';
import { routerConnection } from '../src/pipeline/decode.ts';
import { type EventSink, Pipeline } from '../src/pipeline/ingest.ts';
import { SinkTee } from '../src/pipeline/sink-tee.ts';
import { RisLiveHub } from '../src/rislive/hub.ts';
import { handleRisFrame } from '../src/rislive/route.ts';
import type { SocketLike } from '../src/ws/socket.ts';
import { msg, type TestPeer } from '../test/support/bmp-router.ts';

const MESSAGES = 200_000;
const PEER: TestPeer = { address: '192.0.2.11', asn: 64511, bgpId: '192.0.2.11' };

const messages: Uint8Array[] = [];
for (let k = 0; k < 1000; k++) {
  const prefixes = [];
  for (let i = 0; i < 20; i++) prefixes.push(`10.${k >> 4}.${((k & 15) << 4) | (i >> 2)}.${(i & 3) * 64}/26`);
  messages.push(msg.announce(PEER, prefixes, [64511, 64500 + (k % 9), 65000 + (k % 97)]));
}

const sink: SocketLike = { bufferedAmount: 0, readyState: 1, send() {}, close() {}, terminate() {} };

function run(name: string, build: () => { out: EventSink; ris: RisLiveHub | null }, subscribe: unknown) {
  const { out, ris } = build();
  const pipeline = new Pipeline(out, Fastify({ logger: false }).log);
  ris?.attach(pipeline);
  const conn = routerConnection('bmp-tcp', 'bench', '198.51.100.1', '198.51.100.1');
  pipeline.bmp(conn, msg.peerUp(PEER));
  if (ris !== null && subscribe !== null) {
    const c = ris.addClient(sink);
    handleRisFrame(ris, c, JSON.stringify({ type: 'ris_subscribe', data: subscribe }));
  }
  for (let i = 0; i < 20_000; i++) pipeline.bmp(conn, messages[i % messages.length]); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) pipeline.bmp(conn, messages[i % messages.length]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const sent = ris?.messagesOut ?? 0;
  console.log(
    `${name.padEnd(44)} ${Math.round(MESSAGES / s)
      .toLocaleString('en-US')
      .padStart(10)} msg/s  (RIS frames ${sent})`,
  );
}

const hubOnly = () => ({ out: new Hub() as EventSink, ris: null });
const tee = () => {
  const ris = new RisLiveHub();
  return { out: new SinkTee([new Hub(), ris]) as EventSink, ris };
};
for (let round = 0; round < 2; round++) {
  run('hub only', hubOnly, null);
  run('hub + RIS Live sink, no RIS client', tee, null);
  run('RIS client: prefix 10.3.0.0/16', tee, { prefix: '10.3.0.0/16' });
  run('RIS client: origin-only path 65005$', tee, { path: '65005$' });
  run('RIS client: path ^64511,64503', tee, { path: '^64511,64503' });
  run('RIS client: every UPDATE', tee, { type: 'UPDATE' });
}
