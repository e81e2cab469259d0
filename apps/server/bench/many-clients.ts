/**
 * Many clients, some of them stalled: the server in a child process, the client fleet in another
 * (client-fleet.ts), and a scripted BMP router here sending `rate` messages/s for `seconds`. Measures the
 * server's peak RSS (during the feed and at the end), the healthy clients' latency and losses, and what became of the
 * stalled clients. Used by test/integration/ws-api/many-clients.test.ts (shortened) and `pnpm bench:clients`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { msg, TestRouter } from '../test/support/bmp-router.ts';
import { freePort } from '../test/support/ports.ts';
import type { FleetReport } from './client-fleet.ts';
import { FLEET_PEER, groupMessages, PREFIXES_PER_MESSAGE, stamped } from './fleet-feed.ts';
import { ServerProcess, sampleProc } from './server-process.ts';

export interface ManyClientsOptions {
  clients: number;
  stalled: number;
  /** BMP messages per second (each announces five prefixes). */
  rate: number;
  seconds: number;
  /** The server's --ws-stall-seconds. */
  stallSeconds: number;
  /** Seconds of feed before latencies count (JIT warm-up, the stalled clients' buffers filling). */
  warmupSeconds: number;
}

export interface ManyClientsResult {
  options: ManyClientsOptions;
  messagesSent: number;
  /** Route events the healthy clients should have received, and did. */
  expectedEvents: number;
  receivedEvents: number;
  /** Healthy clients that missed any of their events. */
  healthyShort: number;
  outOfOrder: number;
  droppedNotices: number;
  healthyClosed: number;
  /** bmpwatch_ws_slow_closed_total at the end (a stalled client, not reading, never sees its own close). */
  slowClosedMetric: number;
  latencyMs: FleetReport['latencyMs'];
  /** Peak RSS (VmHWM) when the feed ends; rssPeakMB is the same after the last batches and the report. */
  rssMaxMB: number;
  rssPeakMB: number;
  serverCpuCores: number;
}

const FLEET = fileURLToPath(new URL('./client-fleet.ts', import.meta.url));
const TICK_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => Math.round(b / 1048576);

function startFleet(wsUrl: string, healthy: number, stalled: number) {
  const child = fork(FLEET, [JSON.stringify({ wsUrl, healthy, stalled })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<FleetReport>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`client fleet exited with ${code}`));
      child.once('exit', onExit);
      child.on('message', function on(m: { type: string }) {
        if (m.type !== type) return;
        child.off('message', on);
        child.off('exit', onExit);
        resolve(m as FleetReport);
      });
    });
  return {
    ready: next('ready'),
    report: () => {
      const r = next('report');
      child.send({ type: 'report' });
      return r;
    },
    warm: () => child.send({ type: 'warm' }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

export async function runManyClients(
  o: ManyClientsOptions,
  log = (_: string) => {},
): Promise<ManyClientsResult> {
  const healthy = o.clients - o.stalled;
  const bmpPort = await freePort();
  const server = await ServerProcess.start([
    '--bmp-port',
    String(bmpPort),
    '--max-clients',
    String(o.clients + 10),
    '--ws-stall-seconds',
    String(o.stallSeconds),
  ]);
  const fleet = startFleet(server.url.replace(/^http/, 'ws') + '/api/ws', healthy, o.stalled);
  let router: TestRouter | null = null;
  try {
    await fleet.ready;
    log(`${o.clients} clients connected (${o.stalled} stalled)`);
    router = await TestRouter.connect(bmpPort);
    await router.send(msg.initiation('fleet'), msg.peerUp(FLEET_PEER));
    const templates = groupMessages(healthy);
    const perGroup = new Array<number>(healthy).fill(0);
    const cpu0 = sampleProc(server.pid).cpuSeconds;
    const t0 = performance.now();
    let sent = 0;
    let nextLog = 5000;
    let warm = false;
    while (performance.now() - t0 < o.seconds * 1000) {
      const due = Math.floor(((performance.now() - t0) / 1000) * o.rate);
      const chunk: Buffer[] = [];
      const now = Date.now();
      for (; sent < due; sent++) {
        const g = sent % healthy;
        perGroup[g]++;
        chunk.push(stamped(templates[g], now));
      }
      if (chunk.length > 0) await router.send(...chunk);
      if (!warm && performance.now() - t0 > o.warmupSeconds * 1000) {
        fleet.warm();
        warm = true;
      }
      if (performance.now() - t0 > nextLog) {
        // VmHWM: the peak RSS so far, read here rather than sampling the RSS every tick.
        const rssMax = sampleProc(server.pid).peakRssBytes;
        log(`${Math.round((performance.now() - t0) / 1000)} s: ${sent} messages, RSS ${mb(rssMax)} MB`);
        nextLog += 5000;
      }
      await sleep(TICK_MS);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const end = sampleProc(server.pid);
    const cpu = (end.cpuSeconds - cpu0) / elapsed;
    // Let the last batches out (a batch leaves every 100 ms).
    await sleep(1500);
    const report = await fleet.report();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const slowClosed = Number(/bmpwatch_ws_slow_closed_total (\d+)/.exec(metrics)?.[1] ?? -1);
    const peak = sampleProc(server.pid).peakRssBytes;
    const expected = perGroup.map((n) => n * PREFIXES_PER_MESSAGE);
    return {
      options: o,
      messagesSent: sent,
      expectedEvents: expected.reduce((a, b) => a + b, 0),
      receivedEvents: report.received.reduce((a, b) => a + b, 0),
      healthyShort: expected.filter((n, g) => report.received[g] < n).length,
      outOfOrder: report.outOfOrder,
      droppedNotices: report.droppedNotices,
      healthyClosed: report.healthyClosed,
      slowClosedMetric: slowClosed,
      latencyMs: report.latencyMs,
      rssMaxMB: mb(end.peakRssBytes),
      rssPeakMB: mb(peak),
      serverCpuCores: Math.round(cpu * 100) / 100,
    };
  } finally {
    await router?.close();
    await fleet.stop();
    await server.stop();
  }
}
