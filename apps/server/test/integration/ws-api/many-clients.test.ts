// 1,000 WebSocket clients with distinct filters, 50 of which never read, under a steady BMP feed: the server
// (a child process) stays under 1 GB, the healthy clients (another process) get every event in order with a
// p99 latency under 1 s, and the stalled clients are closed at the stall limit. `pnpm bench:clients` is the
// long form; docs/reliability.md has its figures.
import { describe, expect, it } from 'vitest';
import { runManyClients } from '../../../bench/many-clients.ts';

describe('many clients, some stalled', () => {
  it('keeps memory bounded and healthy clients served while stalled ones are cut off', async () => {
    const r = await runManyClients(
      { clients: 1000, stalled: 50, rate: 2000, seconds: 35, stallSeconds: 8, warmupSeconds: 5 },
      (s) => process.stderr.write(`many-clients: ${s}\n`),
    );
    process.stderr.write(`many-clients: ${JSON.stringify(r)}\n`);
    expect(r.rssPeakMB).toBeLessThan(1024);
    expect(r.latencyMs.p99).toBeLessThan(1000);
    expect(r.outOfOrder).toBe(0);
    expect(r.healthyShort).toBe(0);
    expect(r.receivedEvents).toBe(r.expectedEvents);
    expect(r.droppedNotices).toBe(0);
    expect(r.healthyClosed).toBe(0);
    expect(r.slowClosedMetric).toBe(50);
  }, 240_000);
});
