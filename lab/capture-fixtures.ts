/**
 * Regenerates packages/bmp/test/fixtures/lab-gobgp.{bmp,pcap,injected.json} and their README:
 *
 *   pnpm exec tsx lab/capture-fixtures.ts [--seed 1] [--size 900] [--port 11019]
 *
 * Needs root (network namespaces, dumpcap). New files replace the fixtures only if the whole
 * scenario succeeded.
 */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { walkRawBmp } from '../packages/bmp/test/support/tshark.ts';
import { CaptureListener } from './capture-listener.ts';
import { Dumpcap } from './dumpcap.ts';
import { renderFixtureReadme } from './fixture-readme.ts';
import { DEFAULT_SPEAKERS, IPV6_SPEAKER, type Lab, type LabNetwork, startLab } from './lab.ts';
import { sleep } from './wait.ts';

const FIXTURES = fileURLToPath(new URL('../packages/bmp/test/fixtures/', import.meta.url));
// GoBGP refuses less than 15 s ("too small statistics-timeout value").
const STATISTICS_TIMEOUT = 15;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '900' },
    port: { type: 'string', default: '11019' },
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

const t0 = Date.now();
const timeline: string[] = [];
function step(text: string): void {
  const line = `${((Date.now() - t0) / 1000).toFixed(1)} s: ${text}`;
  timeline.push(line);
  console.log(line);
}

const work = mkdtempSync(join(tmpdir(), 'bmplab-capture-'));
const out = { bmp: join(work, 'lab-gobgp.bmp'), pcap: join(work, 'lab-gobgp.pcap') };
let listener: CaptureListener | undefined;
let dumpcap: Dumpcap | undefined;
let lab: Lab | undefined;

async function cleanup(): Promise<void> {
  await lab?.stop().catch((e: Error) => console.error(`lab stop: ${e.message}`));
  await dumpcap?.stop().catch((e: Error) => console.error(`dumpcap stop: ${e.message}`));
  await listener?.close().catch((e: Error) => console.error(`listener close: ${e.message}`));
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`${sig}: stopping the lab`);
    void cleanup().finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

/** Lets GoBGP finish sending what a step caused before the next step starts. */
const settle = () => listener!.waitQuiet(1500, 30_000);

async function scenario(): Promise<{ injected: unknown[]; net: LabNetwork }> {
  let labStarted = Date.now();
  lab = await startLab({
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
      listener = await CaptureListener.open(out.bmp, net.hostAddress, port);
      dumpcap = await Dumpcap.start({
        iface: net.hostIf,
        filter: `tcp port ${port}`,
        out: out.pcap,
        logFile: join(work, 'dumpcap.log'),
      });
    },
  });
  labStarted = Date.now();
  step(`lab up: namespace ${lab.network.netns}, veth ${lab.network.hostIf} ${lab.network.hostAddress}`);
  await lab.waitEstablished(30_000);
  step('all three sessions Established');
  const first = await lab.waitConverged(60_000);
  step(`converged: ${JSON.stringify(first)}`);
  await settle();
  step(`BMP stream quiet at ${listener!.bytes} bytes`);

  await lab.churn(40);
  const churned = await lab.waitConverged(30_000);
  await settle();
  step(
    `churn: each feed withdrew 40 routes and re-announced 20 with new MED and path; RIB ${JSON.stringify(churned)}`,
  );

  await lab.disableNeighbor('B');
  await lab.waitConverged(30_000);
  await settle();
  step('neighbor B (127.0.0.12) disabled: withdrawals, then Peer Down');

  await lab.enableNeighbor('B');
  await lab.waitEstablished(60_000);
  step('neighbor B enabled and Established again (ExaBGP retry)');
  await lab.waitConverged(30_000);
  await settle();
  step('B re-announced its table; converged again');

  // Statistics Reports come every STATISTICS_TIMEOUT s from gobgpd's start; wait for two rounds
  // so that some are sent while both peers are up.
  const statsDue = labStarted + (2 * STATISTICS_TIMEOUT + 1) * 1000;
  if (Date.now() < statsDue) await sleep(statsDue - Date.now());
  step('waited for Statistics Reports');

  const injected = await lab.injected();
  await lab.bmpDel();
  await listener!.waitClosed(15_000);
  step('gobgp bmp del: Termination sent, BMP session closed');
  return { injected, net: lab.network };
}

try {
  const { injected, net } = await scenario();
  await cleanup();
  step('routers stopped, namespace deleted, capture closed');

  const raw = readFileSync(out.bmp);
  const counts = walkRawBmp(raw); // throws on a malformed stream, before peerDownReasons walks it
  if (counts.termination !== 1 || counts.initiation !== 1 || counts.peer_down < 1 || counts.peer_up < 4) {
    throw new Error(`capture incomplete: ${JSON.stringify(counts)}`);
  }
  const injectedPath = join(work, 'lab-gobgp.injected.json');
  // One route per line: readable, diffable, and half the size of indented JSON.
  const head = {
    description:
      'Routes announced by the lab feeds at the end of the capture of lab-gobgp.bmp; policy = fate under GoBGP import policy',
    seed,
    sizePerSpeaker: size,
  };
  const body = injected.map((r) => JSON.stringify(r)).join(',\n');
  writeFileSync(injectedPath, `${JSON.stringify(head).slice(0, -1)},\n"routes": [\n${body}\n]}\n`);

  const finals = [out.bmp, out.pcap, injectedPath].map((p) => {
    const dest = join(FIXTURES, p.slice(work.length + 1));
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
    hostAddress: net.hostAddress,
    routerAddress: net.routerAddress,
    counts,
    peerDownReasons: peerDownReasons(raw),
    injectedRoutes: injected.length,
    timeline,
  });
  writeFileSync(join(FIXTURES, 'README.md'), readme);
  console.log(JSON.stringify(counts));
  for (const f of finals) console.log(f);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await cleanup();
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
