/**
 * Builds the server from a Config: sources → pipeline → hub, and the HTTP side (API, WebSocket, metrics,
 * health, static files) as fastify plugins. `start()` binds everything, `close()` undoes it in reverse order.
 * main.ts adds only the process concerns (argv, signals, the banner).
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from './config/config.ts';
import { DEFAULT_CLIENT_LIMITS } from './fanout/client.ts';
import { Hub } from './fanout/hub.ts';
import { HARD_MAX_PAYLOAD, wsRoute } from './fanout/ws-route.ts';
import { ServerError } from './lib/errors.ts';
import type { SourceJson } from './model/source-status.ts';
import { Pipeline, SourceCounters } from './pipeline/ingest.ts';
import { SinkTee } from './pipeline/sink-tee.ts';
import { apiPlugin } from './plugins/api.ts';
import { healthPlugin } from './plugins/health.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { securityPlugin } from './plugins/security.ts';
import { staticPlugin } from './plugins/static.ts';
import { RisLiveHub } from './rislive/hub.ts';
import { risLiveRoute } from './rislive/route.ts';
import { BmpTcpSource } from './sources/bmp-tcp.ts';
import { DemoSource } from './sources/demo.ts';
import { KafkaSource, type KafkaSourceOptions } from './sources/kafka.ts';
import { ReplaySource } from './sources/replay.ts';
import type { Source } from './sources/source.ts';
import { DecodeHealth } from './state/decode-health.ts';
import { Admission } from './ws/endpoint.ts';

export interface AppOptions {
  /** fastify's logger option: true / pino options, or false (tests). Default: JSON logs at config.logLevel. */
  logger?: boolean | Record<string, unknown>;
  /** Test hooks for the Kafka source (e.g. a shorter stall detection). */
  kafka?: Partial<KafkaSourceOptions>;
  /** Batch interval override (tests). */
  batchMs?: number;
}

export interface BmpwatchServer {
  readonly app: FastifyInstance;
  readonly pipeline: Pipeline;
  readonly hub: Hub;
  /** The RIS Live endpoint's hub (null when --no-ris-live). */
  readonly risLive: RisLiveHub | null;
  readonly sources: Source[];
  /** Starts the sources and the HTTP server; returns the dashboard URL. */
  start(): Promise<string>;
  /** The BMP listener's address once started (null when disabled). */
  bmpAddress(): { host: string; port: number } | null;
  /** Stops the sources, closes client sockets and the HTTP server. Idempotent. */
  close(): Promise<void>;
}

export function sourcesFor(config: Config, log: FastifyBaseLogger, opts: AppOptions = {}): Source[] {
  const sources: Source[] = [];
  if (config.demo) sources.push(new DemoSource(config.demo));
  if (config.bmp) sources.push(new BmpTcpSource(config.bmp, log));
  if (config.kafka) sources.push(new KafkaSource({ ...config.kafka, ...opts.kafka }, log));
  if (config.replay) sources.push(new ReplaySource(config.replay));
  return sources;
}

export async function buildServer(config: Config, opts: AppOptions = {}): Promise<BmpwatchServer> {
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // Client frames are limited by the WebSocket layer; HTTP bodies are not used beyond small queries.
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
    // The dashboard polls the API; per-request lines would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const hub = new Hub({
    batchMs: opts.batchMs ?? 100,
    limits: {
      ...DEFAULT_CLIENT_LIMITS,
      queueBytes: config.wsQueueBytes,
      maxBuffered: config.wsMaxBuffered,
      stallMs: config.wsStallMs,
    },
  });
  const risLive = config.risLive ? new RisLiveHub(config.risLive.maxBuffered) : null;
  const pipeline = new Pipeline(risLive ? new SinkTee([hub, risLive]) : hub, app.log);
  risLive?.attach(pipeline);
  const sources = sourcesFor(config, app.log, opts);
  const decodeHealth = new Map(sources.map((s) => [s.id, new DecodeHealth(Date.now)]));
  const sourceJson = (): SourceJson[] => sources.map((s) => sourceView(s, pipeline, decodeHealth.get(s.id)!));
  hub.attach({ pipeline, sources: sourceJson });

  // First, at the root: its hooks cover every route registered after it, WebSocket upgrades included.
  await app.register(securityPlugin, {
    ...config.access,
    allowedOrigins: new Set(config.access.allowedOrigins),
  });
  await app.register(healthPlugin, { sources: sourceJson });
  await app.register(apiPlugin, { pipeline });
  await app.register(metricsPlugin, { pipeline, hub, sources, sourceViews: sourceJson, risLive });
  await app.register(websocket, { options: { maxPayload: HARD_MAX_PAYLOAD } });
  // One --max-clients for both WebSocket endpoints together.
  const admission = new Admission(config.maxClients);
  await app.register(wsRoute, { hub, admission });
  if (risLive) await app.register(risLiveRoute, { hub: risLive, admission });
  await app.register(staticPlugin, { webDir: config.webDir });

  let started: Source[] = [];
  let closing: Promise<void> | null = null;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      hub.stop();
      for (const s of [...started].reverse()) {
        try {
          await s.stop();
        } catch (err) {
          app.log.warn({ err, source: s.id }, 'source did not stop cleanly');
        }
      }
      started = [];
      // Flush what the sources' last events produced (router down on shutdown), then close the sockets.
      hub.flush();
      for (const c of hub.clients) c.socket.close(1001, 'server shutting down');
      for (const c of risLive?.clients ?? []) c.socket.close(1001, 'server shutting down');
      await app.close();
    })();
    return closing;
  };

  return {
    app,
    pipeline,
    hub,
    risLive,
    sources,
    bmpAddress: () => sources.find((s): s is BmpTcpSource => s instanceof BmpTcpSource)?.address ?? null,
    async start() {
      hub.start();
      try {
        for (const s of sources) {
          await s.start(pipeline);
          started.push(s);
        }
        try {
          return await app.listen({ host: config.host, port: config.port });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          throw new ServerError(
            'BMPWATCH_ERR_LISTEN',
            `HTTP server cannot bind ${config.host}:${config.port}: ${code}` +
              (code === 'EADDRINUSE' ? ' (in use; pick another with --port or PORT)' : ''),
          );
        }
      } catch (err) {
        await close();
        throw err;
      }
    },
    close,
  };
}

/**
 * A source as health, the dashboard and the hub show it: its own status, its counters, and its recent decode
 * error rate, which overrides an 'ok' when most of what it delivers fails to decode.
 */
function sourceView(s: Source, pipeline: Pipeline, health: DecodeHealth): SourceJson {
  const c = pipeline.counters.get(s.id) ?? EMPTY_COUNTERS;
  const v = health.check(c);
  const own = s.status();
  const view: SourceJson = {
    id: s.id,
    kind: s.kind,
    ...own,
    messages: c.messages,
    errors: c.errors,
    first_message_at: c.messages === 0 ? null : c.firstMessageAt / 1000,
    last_message_at: c.messages === 0 ? null : c.lastMessageAt / 1000,
    decode_error_rate: Math.round(v.rate * 1000) / 1000,
    commonest_error: v.commonest,
  };
  if (v.failing && own.status === 'ok') {
    view.status = 'error';
    view.detail = `${Math.round(v.rate * 100)} % of the last ${v.messages} messages fail to decode (most: ${v.commonest}); ${own.detail}`;
  }
  return view;
}

const EMPTY_COUNTERS = new SourceCounters();
