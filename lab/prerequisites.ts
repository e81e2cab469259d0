import { spawnSync } from 'node:child_process';

const TOOLS = ['ip', 'gobgpd', 'gobgp', 'exabgp', '/usr/bin/python3'] as const;

function runs(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Why the lab cannot run here, or undefined if it can: for tests to skip with a reason instead of
 * failing on a developer machine without root or routers (CI has both).
 */
export function labUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'the lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the lab needs root (ip netns, veth)';
  const missing = TOOLS.filter((t) => !runs('sh', ['-c', `command -v ${t}`]));
  if (missing.length > 0) {
    return `missing ${missing.join(', ')} (scripts/ensure-system-deps.sh installs them)`;
  }
  return undefined;
}
