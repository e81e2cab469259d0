/**
 * GET /metrics in the Prometheus text format. Counters live as plain numbers in the pipeline, hub and sources
 * (the hot path never touches prom-client); each metric reads them when scraped.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Hub } from '../fanout/hub.ts';
import type { SourceJson } from '../model/source-status.ts';
import type { Pipeline } from '../pipeline/ingest.ts';
import type { RisLiveHub } from '../rislive/hub.ts';
import { KafkaSource } from '../sources/kafka.ts';
import type { Source } from '../sources/source.ts';

export interface MetricsOptions {
  pipeline: Pipeline;
  hub: Hub;
  sources: Source[];
  /** The sources as health shows them (their own status, overridden by a high decode error rate). */
  sourceViews: () => SourceJson[];
  /** The RIS Live endpoint's hub, when it is on. */
  risLive?: RisLiveHub | null;
}

function risLiveMetrics(register: Registry, ris: RisLiveHub): void {
  new Gauge({
    name: 'bmpwatch_rislive_clients',
    help: 'RIS Live (/v1/ws/) clients connected',
    registers: [register],
    collect() {
      this.set(ris.clients.size);
    },
  });
  new Counter({
    name: 'bmpwatch_rislive_messages_out_total',
    help: 'ris_message frames sent to RIS Live clients (one per client per message)',
    registers: [register],
    collect() {
      this.reset();
      this.inc(ris.messagesOut);
    },
  });
  new Counter({
    name: 'bmpwatch_rislive_slow_disconnects_total',
    help: 'RIS Live clients disconnected for falling behind (--ris-live-max-buffered)',
    registers: [register],
    collect() {
      this.reset();
      this.inc(ris.slowDisconnects);
    },
  });
}

export function metricsRegistry({ pipeline, hub, sources, sourceViews, risLive }: MetricsOptions): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'bmpwatch_' });
  if (risLive) risLiveMetrics(register, risLive);

  new Counter({
    name: 'bmpwatch_messages_in_total',
    help: 'BMP / OpenBMP messages received, by source',
    labelNames: ['source'],
    registers: [register],
    collect() {
      this.reset();
      for (const [source, c] of pipeline.counters) this.inc({ source }, c.messages);
    },
  });
  new Counter({
    name: 'bmpwatch_bytes_in_total',
    help: 'Bytes of BMP / OpenBMP messages received, by source',
    labelNames: ['source'],
    registers: [register],
    collect() {
      this.reset();
      for (const [source, c] of pipeline.counters) this.inc({ source }, c.bytes);
    },
  });
  new Counter({
    name: 'bmpwatch_decode_errors_total',
    help: 'Messages or bytes skipped as malformed, by source and decoder error code',
    labelNames: ['source', 'code'],
    registers: [register],
    collect() {
      this.reset();
      for (const [source, c] of pipeline.counters)
        for (const [code, n] of c.errorsByCode) this.inc({ source, code }, n);
    },
  });
  new Counter({
    name: 'bmpwatch_route_events_total',
    help: 'Route events (one per prefix) decoded, by kind',
    labelNames: ['kind'],
    registers: [register],
    collect() {
      this.reset();
      this.inc({ kind: 'announce' }, pipeline.announcements);
      this.inc({ kind: 'withdraw' }, pipeline.withdrawals);
    },
  });
  new Counter({
    name: 'bmpwatch_events_out_total',
    help: 'Events queued to WebSocket clients (one per client per event), by type',
    labelNames: ['type'],
    registers: [register],
    collect() {
      this.reset();
      this.inc({ type: 'route' }, hub.routeEventsOut);
      this.inc({ type: 'peer' }, hub.peerEventsOut);
      this.inc({ type: 'router' }, hub.routerEventsOut);
    },
  });
  new Counter({
    name: 'bmpwatch_ws_dropped_total',
    help: 'Events dropped for WebSocket clients that did not keep up',
    registers: [register],
    collect() {
      this.reset();
      this.inc(hub.droppedTotal);
    },
  });
  new Counter({
    name: 'bmpwatch_ws_slow_closed_total',
    help: 'WebSocket clients closed for not reading within the stall limit',
    registers: [register],
    collect() {
      this.reset();
      this.inc(hub.slowClosed);
    },
  });
  new Gauge({
    name: 'bmpwatch_ws_clients',
    help: 'Connected WebSocket clients',
    registers: [register],
    collect() {
      this.set(hub.clients.size);
    },
  });
  new Gauge({
    name: 'bmpwatch_ws_subscriptions',
    help: 'WebSocket clients with a route subscription',
    registers: [register],
    collect() {
      this.set(hub.index.size);
    },
  });
  new Gauge({
    name: 'bmpwatch_route_memory_routes',
    help: 'Announcements remembered so that their withdrawals can match origin/path filters',
    registers: [register],
    collect() {
      this.set(hub.routeMemory.size);
    },
  });
  new Counter({
    name: 'bmpwatch_route_memory_skipped_total',
    help: 'Announcements not remembered because the route memory was full',
    registers: [register],
    collect() {
      this.reset();
      this.inc(hub.routeMemory.skipped);
    },
  });
  new Gauge({
    name: 'bmpwatch_routers',
    help: 'Known routers, by state',
    labelNames: ['state'],
    registers: [register],
    collect() {
      this.reset();
      const by: Record<string, number> = { up: 0, down: 0 };
      for (const r of pipeline.routers.list()) by[r.state]++;
      for (const [state, n] of Object.entries(by)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'bmpwatch_peers',
    help: 'Known peers, by state',
    labelNames: ['state'],
    registers: [register],
    collect() {
      this.reset();
      const by: Record<string, number> = { up: 0, down: 0, unknown: 0 };
      for (const p of pipeline.peers.list()) by[p.state]++;
      for (const [state, n] of Object.entries(by)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'bmpwatch_source_up',
    help: '1 when a source is ok, 0 while connecting or failed',
    labelNames: ['source'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of sourceViews()) this.set({ source: s.id }, s.status === 'ok' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bmpwatch_source_decode_error_ratio',
    help: 'Decode errors per message received over the last minute, by source',
    labelNames: ['source'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of sourceViews()) this.set({ source: s.id }, s.decode_error_rate);
    },
  });
  new Counter({
    name: 'bmpwatch_kafka_failures_total',
    help: 'Times the Kafka consumer failed and backed off, by kind (codec, corrupt, authorization, topic, broker, other)',
    labelNames: ['kind'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of sources) {
        if (!(s instanceof KafkaSource)) continue;
        for (const [kind, n] of s.failuresByKind) this.inc({ kind }, n);
      }
    },
  });
  new Gauge({
    name: 'bmpwatch_kafka_lag',
    help: 'Messages behind the high watermark, per topic partition (as of its last batch)',
    labelNames: ['topic', 'partition'],
    registers: [register],
    collect() {
      this.reset();
      for (const s of sources) {
        if (!(s instanceof KafkaSource)) continue;
        for (const l of s.lagByPartition())
          this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
      }
    },
  });
  return register;
}

export async function metricsPlugin(app: FastifyInstance, opts: MetricsOptions): Promise<void> {
  const register = metricsRegistry(opts);
  app.get('/metrics', async (_req, reply) => {
    reply.type(register.contentType);
    return register.metrics();
  });
}
