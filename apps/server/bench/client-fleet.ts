/**
 * A fleet of WebSocket clients in a process of its own (forked by many-clients.ts), so that the server's
 * figures are not mixed with theirs. Healthy client g watches group g of the feed (origin ASN or /24, see
 * fleetFeed.ts), records every route's latency (arrival − BMP timestamp) and checks that timestamps never go
 * backwards; stalled clients subscribe to everything and then stop reading their socket.
 *
 * Parent → fleet: { type: 'warm' } (forget the latencies so far), { type: 'report' }, { type: 'stop' }. Fleet → parent: { type: 'ready' }, { type: 'report', … }.
 */
import WebSocket from 'ws';
import { groupFilter, stalledFilter } from './fleet-feed.ts';
import { subscribeAfterHello } from './server-process.ts';

interface FleetOptions {
  wsUrl: string;
  healthy: number;
  stalled: number;
}

export interface FleetReport {
  type: 'report';
  /** Route events received per healthy client, by group. */
  received: number[];
  outOfOrder: number;
  droppedNotices: number;
  healthyClosed: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
}

const BATCH = '"type":"batch"';

class Healthy {
  received = 0;
  lastTs = 0;
  outOfOrder = 0;
  dropped = 0;
  closed = false;
  constructor(
    readonly ws: WebSocket,
    latencies: number[],
  ) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (!text.includes(BATCH)) {
        if (text.includes('"type":"dropped"')) this.dropped++;
        return;
      }
      const now = Date.now();
      const f = JSON.parse(text) as { routes: { ts: number }[] };
      for (const r of f.routes) {
        if (r.ts < this.lastTs) this.outOfOrder++;
        this.lastTs = r.ts;
        latencies.push(now - r.ts * 1000);
      }
      this.received += f.routes.length;
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(o: FleetOptions): Promise<void> {
  const latencies: number[] = [];
  const healthy: Healthy[] = [];
  const stalled: WebSocket[] = [];
  // Connect in small waves: a thousand handshakes at once would only measure the accept queue.
  const WAVE = 50;
  for (let i = 0; i < o.stalled + o.healthy; i += WAVE) {
    const wave = [];
    for (let k = i; k < Math.min(i + WAVE, o.stalled + o.healthy); k++) {
      const ws = new WebSocket(o.wsUrl);
      if (k < o.stalled) {
        wave.push(
          subscribeAfterHello(ws, stalledFilter(k)).then(() => {
            // Stop reading: the kernel buffers fill, then the server's, then the stall limit runs.
            (ws as unknown as { _socket: { pause(): void } })._socket.pause();
            stalled.push(ws);
          }),
        );
      } else {
        const g = k - o.stalled;
        wave.push(
          subscribeAfterHello(ws, groupFilter(g)).then(() => {
            healthy[g] = new Healthy(ws, latencies);
          }),
        );
      }
    }
    await Promise.all(wave);
  }
  process.send!({ type: 'ready' });

  process.on('message', (m: { type: string }) => {
    if (m.type === 'warm') latencies.length = 0;
    else if (m.type === 'report') {
      const sorted = Float64Array.from(latencies).sort();
      const report: FleetReport = {
        type: 'report',
        received: healthy.map((h) => h.received),
        outOfOrder: healthy.reduce((n, h) => n + h.outOfOrder, 0),
        droppedNotices: healthy.reduce((n, h) => n + h.dropped, 0),
        healthyClosed: healthy.filter((h) => h.closed).length,
        latencyMs: {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
          samples: sorted.length,
        },
      };
      process.send!(report);
    } else if (m.type === 'stop') {
      for (const h of healthy) h.ws.terminate();
      for (const s of stalled) s.terminate();
      process.exit(0);
    }
  });
}

main(JSON.parse(process.argv[2]) as FleetOptions).catch((err) => {
  process.stderr.write(`client fleet: ${(err as Error).stack}\n`);
  process.exit(1);
});
