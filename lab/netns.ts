import { run, runQuiet } from './run.ts';
import type { LabNetwork } from './topology.ts';
import { sleep } from './wait.ts';

async function netnsExists(netns: string): Promise<boolean> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout.split('\n').some((line) => line.split(' ')[0] === netns);
}

/** PIDs of every process inside the namespace (`ip netns pids`). */
export async function netnsPids(netns: string): Promise<number[]> {
  if (!(await netnsExists(netns))) return [];
  const { stdout } = await run('ip', ['netns', 'pids', netns]).catch(() => ({ stdout: '' }));
  return stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Removes the namespace and veth of a lab with this name, including processes a crashed earlier
 * run left inside it. Only processes inside this lab's own namespace are touched.
 */
export async function destroyNetwork(net: LabNetwork): Promise<void> {
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = await netnsPids(net.netns);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // Gone already.
      }
    }
    await sleep(sig === 'SIGTERM' ? 1000 : 300);
  }
  if (await netnsExists(net.netns)) await runQuiet('ip', ['netns', 'del', net.netns]);
  // Deleting the namespace destroys its veth end and with it the pair; this covers a half-built
  // setup where the pair exists but was never moved into the namespace.
  await runQuiet('ip', ['link', 'del', net.hostIf]);
}

/**
 * Creates the namespace (loopback up, with the IPv6 session addresses) and the veth pair between
 * it and the root namespace.
 */
export async function createNetwork(net: LabNetwork, ipv6Addresses: readonly string[]): Promise<void> {
  const inNs = (...args: string[]) => run('ip', ['netns', 'exec', net.netns, 'ip', ...args]);
  await run('ip', ['netns', 'add', net.netns]);
  await inNs('link', 'set', 'lo', 'up');
  // nodad: duplicate address detection would keep the address unusable for a second or two.
  for (const addr of [net.routerAddress6, ...ipv6Addresses]) {
    await inNs('-6', 'addr', 'add', `${addr}/128`, 'dev', 'lo', 'nodad');
  }
  await run('ip', ['link', 'add', net.hostIf, 'type', 'veth', 'peer', 'name', net.nsIf]);
  await run('ip', ['link', 'set', net.nsIf, 'netns', net.netns]);
  await run('ip', ['addr', 'add', `${net.hostAddress}/${net.prefixLength}`, 'dev', net.hostIf]);
  await run('ip', ['link', 'set', net.hostIf, 'up']);
  await inNs('addr', 'add', `${net.nsAddress}/${net.prefixLength}`, 'dev', net.nsIf);
  await inNs('link', 'set', net.nsIf, 'up');
}
