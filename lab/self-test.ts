/**
 * Exercises the lab API end to end (needs root): two labs side by side, speaker kill/restart,
 * SIGSTOP, neighbor disable/enable, stale-lab clean-up, and nothing left behind afterwards.
 *
 *   pnpm exec tsx lab/self-test.ts
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CaptureListener } from './capture-listener.ts';
import { type Lab, LabError, labNetwork, startLab } from './lab.ts';
import { netnsPids } from './netns.ts';
import { sleep, waitFor } from './wait.ts';

const t0 = Date.now();
const log = (msg: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${msg}`);

function linkExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function netnsExists(name: string): boolean {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.split(' ')[0] === name);
}

async function assertGone(name: string): Promise<void> {
  const net = labNetwork(name);
  assert.equal(netnsExists(net.netns), false, `netns ${net.netns} left behind`);
  assert.equal(linkExists(net.hostIf), false, `veth ${net.hostIf} left behind`);
}

async function twoLabsSideBySide(): Promise<void> {
  const caps = await Promise.all([
    CaptureListener.open('/dev/null', '0.0.0.0', 0),
    CaptureListener.open('/dev/null', '0.0.0.0', 0),
  ]);
  const labs: Lab[] = [];
  try {
    for (const [i, name] of ['selftest-1', 'selftest-2'].entries()) {
      labs.push(
        await startLab({ name, collector: { host: '0.0.0.0', port: caps[i].port }, feed: { size: 200 } }),
      );
    }
    await Promise.all(labs.map((l) => l.waitEstablished(30_000)));
    const ribs = await Promise.all(labs.map((l) => l.waitConverged(30_000)));
    log(`two labs converged: ${JSON.stringify(ribs)}`);
    await Promise.all(caps.map((c) => c.waitConnected(10_000)));
    assert.ok(caps.every((c) => c.connections === 1));

    const [a] = labs;
    a.killSpeaker('A', 'SIGKILL');
    await waitFor(
      async () =>
        (await a.neighbors()).find((n) => n.address === '127.0.0.11')?.state !== 'established'
          ? true
          : undefined,
      { timeoutMs: 10_000, what: 'session A down after SIGKILL' },
    );
    await a.waitConverged(10_000); // A's routes gone, B's still there
    log('speaker A SIGKILLed: session down, RIB holds only B');
    await a.restartSpeaker('A');
    await a.waitEstablished(30_000);
    await a.waitConverged(30_000);
    log('speaker A restarted and converged');

    await a.disableNeighbor('B');
    await a.enableNeighbor('B');
    await a.waitEstablished(30_000);
    log('neighbor B disabled and re-enabled');

    a.killSpeaker('B', 'SIGSTOP'); // stop() must still end it
    const injected = await a.injected();
    assert.ok(injected.some((r) => r.policy === 'reject') && injected.some((r) => r.policy === 'modify'));
  } finally {
    await Promise.all(labs.map((l) => l.stop()));
    await Promise.all(caps.map((c) => c.close()));
  }
  await assertGone('selftest-1');
  await assertGone('selftest-2');
  log('both labs stopped, nothing left');
}

/** A lab whose owner died (SIGKILL, no clean-up) is removed by the next startLab with its name. */
async function staleLabIsCleanedUp(): Promise<void> {
  const name = 'selftest-stale';
  // tsx --eval compiles to CommonJS: no top-level await, hence the async wrapper.
  const script = `
    void (async () => {
      const { startLab } = await import(${JSON.stringify(fileURLToPath(new URL('./lab.ts', import.meta.url)))});
      const lab = await startLab({ name: '${name}', collector: { host: '0.0.0.0', port: 1 }, feed: { size: 50 } });
      await lab.waitEstablished(30000);
      console.log('up ' + process.pid);
      setInterval(() => {}, 1000);
    })();
  `;
  const child = spawn('pnpm', ['exec', 'tsx', '--eval', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ownerPid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      const m = /up (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`stale-lab child exited ${code} before the lab was up`)));
  });
  // Only the node process that owns the lab dies, as in a crash: no 'exit' handler runs and
  // gobgpd/ExaBGP keep running in the namespace.
  process.kill(ownerPid, 'SIGKILL');
  await sleep(500);
  const leftovers = await netnsPids(labNetwork(name).netns);
  assert.ok(leftovers.length > 0, 'expected processes left in the stale namespace');
  log(`stale lab: ${leftovers.length} processes left behind by a killed owner`);

  const lab = await startLab({ name, collector: { host: '0.0.0.0', port: 1 }, feed: { size: 50 } });
  try {
    await lab.waitEstablished(30_000);
    for (const pid of leftovers) assert.throws(() => process.kill(pid, 0), `stale pid ${pid} still alive`);
  } finally {
    await lab.stop();
  }
  await assertGone(name);
  const dirs = readdirSync(tmpdir()).filter((d) => d.startsWith(`bmplab-${name}-`));
  assert.deepEqual(dirs, [], 'temp dirs of the stale lab left behind');
  log('stale lab removed by the next start (processes, namespace, temp dir), new lab ran and stopped');
}

async function badOptionsFailFast(): Promise<void> {
  await assert.rejects(
    startLab({ name: 'selftest-bad', collector: { host: '127.0.0.1', port: 11019 } }),
    (e: unknown) => e instanceof LabError && e.code === 'LAB_CONFIG',
  );
  await assertGone('selftest-bad');
  log('unreachable collector address rejected before anything started');
}

await badOptionsFailFast();
await twoLabsSideBySide();
await staleLabIsCleanedUp();
log('self-test passed');
