/**
 * Regenerates packages/bmp/test/fixtures/lab-gobgp.{bmp,pcap,injected.json} and their README:
 *
 *   pnpm exec tsx lab/capture-fixtures.ts [--seed 1] [--size 900] [--port 11019] [--out DIR]
 *
 * --out writes somewhere else than packages/bmp/test/fixtures (to try a change without touching them).
 *
 * Needs root (network namespaces, dumpcap) and tshark. Each capture is checked before it is kept:
 * the pcap, decoded by tshark, must hold exactly the messages of the raw stream (a packet capture
 * can drop packets under load); a failed check retries the capture. The fixtures are replaced
 * only by a capture that passed.
 */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BmpCounts, tsharkFacts, walkRawBmp } from '../packages/bmp/test/support/tshark.ts';
import { CaptureListener } from './capture-listener.ts';
import { Dumpcap } from './dumpcap.ts';
import { renderFixtureReadme } from './fixture-readme.ts';
import {
  DEFAULT_SPEAKERS,
  type InjectedRoute,
  IPV6_SPEAKER,
  type Lab,
  type LabNetwork,
  startLab,
} from './lab.ts';
import { sleep } from './wait.ts';

const DEFAULT_OUT = fileURLToPath(new URL('../packages/bmp/test/fixtures/', import.meta.url));
// GoBGP refuses less than 15 s ("too small statistics-timeout value").
const STATISTICS_TIMEOUT = 15;
const ATTEMPTS = 3;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '900' },
    port: { type: 'string', default: '11019' },
    out: { type: 'string', default: DEFAULT_OUT },
  },
});
const seed = Number(values.seed);
const size = Number(values.size);
const port = Number(values.port);

/** Reason byte of each Peer Down: after the 6-byte common and 42-byte per-peer headers. */
function peerDownReasons(raw: Uint8Array): number[] {
  const reasons: number[] = [];
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let off = 0; off < raw.length; off += view.getUint32(off + 1)) {
    if (raw[off + 5] === 2) reasons.push(raw[off + 48]);
  }
  return reasons;
}

interface Captured {
  bmp: string;
  pcap: string;
  injected: InjectedRoute[];
  net: LabNetwork;
  timeline: string[];
}

/** One run of the scenario, with everything it started; `cleanup` is safe to call at any point. */
class CaptureRun {
  // Not 'bmplab-capture-…': that is the lab's own temp dir pattern, cleaned up as stale at start.
  readonly work = mkdtempSync(join(tmpdir(), 'bmpwatch-capture-'));
  readonly bmp = join(this.work, 'lab-gobgp.bmp');
  readonly pcap = join(this.work, 'lab-gobgp.pcap');
  readonly timeline: string[] = [];
  private readonly t0 = Date.now();
  private listener: CaptureListener | undefined;
  private dumpcap: Dumpcap | undefined;
  private lab: Lab | undefined;

  private step(text: string): void {
    const line = `${((Date.now() - this.t0) / 1000).toFixed(1)} s: ${text}`;
    this.timeline.push(line);
    console.log(line);
  }

  /** Lets GoBGP finish sending what a step caused before the next step starts. */
  private settle(): Promise<void> {
    return this.listener!.waitQuiet(1500, 30_000);
  }

  async cleanup(): Promise<void> {
    await this.lab?.stop().catch((e: Error) => console.error(`lab stop: ${e.message}`));
    await this.dumpcap?.stop().catch((e: Error) => console.error(`dumpcap stop: ${e.message}`));
    await this.listener?.close().catch((e: Error) => console.error(`listener close: ${e.message}`));
  }

  dumpcapLog(): string {
    return this.dumpcap?.summary() ?? '';
  }

  async run(): Promise<Captured> {
    const lab = await startLab({
      name: 'capture',
      collector: { host: '0.0.0.0', port },
      // C adds a session over IPv6, so the capture has per-peer headers with the V flag.
      speakers: [...DEFAULT_SPEAKERS, IPV6_SPEAKER],
      feed: { seed, size },
      statisticsTimeout: STATISTICS_TIMEOUT,
      sysName: 'lab-r1',
      sysDescr: 'GoBGP lab router (bmpwatch fixtures)',
      // The capture must be listening before gobgpd connects, so that the pcap holds the SYN and
      // the Initiation: both are started here, on the veth host end, before the routers.
      onNetworkReady: async (net) => {
        this.listener = await CaptureListener.open(this.bmp, net.hostAddress, port);
        this.dumpcap = await Dumpcap.start({
          iface: net.hostIf,
          filter: `tcp port ${port}`,
          out: this.pcap,
          logFile: join(this.work, 'dumpcap.log'),
        });
      },
    });
    this.lab = lab;
    const labStarted = Date.now();
    this.step(
      `lab up: namespace ${lab.network.netns}, veth ${lab.network.hostIf} ${lab.network.hostAddress}`,
    );
    await lab.waitEstablished(30_000);
    this.step('all three sessions Established');
    const first = await lab.waitConverged(60_000);
    this.step(`converged: ${JSON.stringify(first)}`);
    await this.settle();
    this.step(`BMP stream quiet at ${this.listener!.bytes} bytes`);

    await lab.churn(40);
    const churned = await lab.waitConverged(30_000);
    await this.settle();
    this.step(
      `churn: each feed withdrew 40 routes, re-announced 20 with new MED and path; RIB ${JSON.stringify(churned)}`,
    );

    await lab.disableNeighbor('B');
    await lab.waitConverged(30_000);
    await this.settle();
    this.step('neighbor B (127.0.0.12) disabled: withdrawals, then Peer Down');

    await lab.enableNeighbor('B');
    await lab.waitEstablished(60_000);
    this.step('neighbor B enabled and Established again (ExaBGP retry)');
    await lab.waitConverged(30_000);
    await this.settle();
    this.step('B re-announced its table; converged again');

    // Statistics Reports come every STATISTICS_TIMEOUT s from gobgpd's start; wait for two rounds
    // so that some are sent while every peer is up.
    const statsDue = labStarted + (2 * STATISTICS_TIMEOUT + 1) * 1000;
    if (Date.now() < statsDue) await sleep(statsDue - Date.now());
    this.step('waited for Statistics Reports');

    const injected = await lab.injected();
    await lab.bmpDel();
    await this.listener!.waitClosed(15_000);
    this.step('gobgp bmp del: Termination sent, BMP session closed');
    await this.cleanup();
    const received = /received\/dropped[^:]*: (\d+\/\d+)/.exec(this.dumpcapLog())?.[1] ?? '?';
    this.step(`routers stopped, namespace deleted, capture closed (dumpcap received/dropped ${received})`);
    return { bmp: this.bmp, pcap: this.pcap, injected, net: lab.network, timeline: this.timeline };
  }
}

/** Why a capture cannot be kept, or undefined if it can. */
async function verify(c: Captured, counts: BmpCounts): Promise<string | undefined> {
  if (counts.termination !== 1 || counts.initiation !== 1 || counts.peer_down < 1 || counts.peer_up < 4) {
    return `raw stream incomplete: ${JSON.stringify(counts)}`;
  }
  const seen = (await tsharkFacts(c.pcap, port)).counts;
  if (JSON.stringify(seen) !== JSON.stringify(counts)) {
    return `pcap decoded by tshark ${JSON.stringify(seen)} differs from the raw stream ${JSON.stringify(counts)}`;
  }
  return undefined;
}

function writeInjected(path: string, injected: InjectedRoute[]): void {
  // One route per line: readable, diffable, and half the size of indented JSON.
  const head = {
    description:
      'Routes announced by the lab feeds at the end of the capture of lab-gobgp.bmp; policy = fate under GoBGP import policy',
    seed,
    sizePerSpeaker: size,
  };
  const body = injected.map((r) => JSON.stringify(r)).join(',\n');
  writeFileSync(path, `${JSON.stringify(head).slice(0, -1)},\n"routes": [\n${body}\n]}\n`);
}

async function install(c: Captured, counts: BmpCounts, work: string): Promise<void> {
  const injectedPath = join(work, 'lab-gobgp.injected.json');
  writeInjected(injectedPath, c.injected);
  const finals = [c.bmp, c.pcap, injectedPath].map((p) => {
    const dest = join(values.out, p.slice(work.length + 1));
    copyFileSync(p, dest); // not rename: /tmp may be another file system
    chmodSync(dest, 0o644); // dumpcap creates its file 0600
    return dest;
  });
  const readme = await renderFixtureReadme({
    files: finals,
    command: `pnpm exec tsx lab/capture-fixtures.ts --seed ${seed} --size ${size} --port ${port}`,
    port,
    seed,
    size,
    statisticsTimeout: STATISTICS_TIMEOUT,
    hostAddress: c.net.hostAddress,
    routerAddress: c.net.routerAddress,
    counts,
    peerDownReasons: peerDownReasons(readFileSync(c.bmp)),
    injectedRoutes: c.injected.length,
    timeline: c.timeline,
  });
  writeFileSync(join(values.out, 'README.md'), readme);
  console.log(JSON.stringify(counts));
  for (const f of finals) console.log(f);
}

let current: CaptureRun | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`${sig}: stopping the lab`);
    void (current?.cleanup() ?? Promise.resolve()).finally(() => {
      if (current) rmSync(current.work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
  current = new CaptureRun();
  try {
    const captured = await current.run();
    const counts = walkRawBmp(readFileSync(captured.bmp));
    const problem = await verify(captured, counts);
    if (problem === undefined) {
      await install(captured, counts, current.work);
      process.exitCode = 0;
      break;
    }
    console.error(`attempt ${attempt}: ${problem}\n${current.dumpcapLog()}`);
  } catch (err) {
    console.error(`attempt ${attempt}: ${err instanceof Error ? err.message : String(err)}`);
    await current.cleanup();
  } finally {
    rmSync(current.work, { recursive: true, force: true });
  }
  process.exitCode = 1;
}
