/**
 * `pnpm bench:clients`: many WebSocket clients with distinct filters, some of them stalled, under a steady BMP
 * feed (bench/many-clients.ts). Prints each run and the median of the runs, as docs/reliability.md quotes them.
 * Options: --clients N --stalled N --rate MSGS_PER_S --seconds S --stall S --warmup S --runs N.
 */
import { type ManyClientsOptions, type ManyClientsResult, runManyClients } from './many-clients.ts';
import { numberOptions } from './options.ts';

function options(argv: string[]): ManyClientsOptions & { runs: number } {
  const { stall, warmup, ...o } = numberOptions(argv, {
    clients: 1000,
    stalled: 50,
    rate: 4000,
    seconds: 60,
    stall: 30,
    warmup: 5,
    runs: 3,
  });
  return { ...o, stallSeconds: stall, warmupSeconds: warmup };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

function line(r: ManyClientsResult): string {
  return (
    `p50 ${Math.round(r.latencyMs.p50)} ms, p99 ${Math.round(r.latencyMs.p99)} ms, max ${Math.round(r.latencyMs.max)} ms; ` +
    `RSS peak ${r.rssPeakMB} MB; server ${r.serverCpuCores} cores; ` +
    `${r.receivedEvents}/${r.expectedEvents} events to healthy clients, ${r.outOfOrder} out of order, ` +
    `${r.droppedNotices} drop notices; ${r.slowClosedMetric} stalled clients closed`
  );
}

const { runs, ...o } = options(process.argv.slice(2));
log(
  `${o.clients} clients (${o.stalled} stalled), ${o.rate} messages/s × 5 prefixes for ${o.seconds} s, ${runs} runs`,
);
const results: ManyClientsResult[] = [];
for (let i = 0; i < runs; i++) {
  const r = await runManyClients(o, log);
  results.push(r);
  log(`run ${i + 1}: ${line(r)}`);
}
const m = (f: (r: ManyClientsResult) => number) => median(results.map(f));
process.stdout.write(
  `median of ${runs}: p50 ${Math.round(m((r) => r.latencyMs.p50))} ms, p99 ${Math.round(m((r) => r.latencyMs.p99))} ms, ` +
    `RSS peak ${m((r) => r.rssPeakMB)} MB, server ${m((r) => r.serverCpuCores)} cores, ` +
    `lost ${m((r) => r.expectedEvents - r.receivedEvents)}, out of order ${m((r) => r.outOfOrder)}, ` +
    `stalled closed ${m((r) => r.slowClosedMetric)}/${o.stalled}\n`,
);
