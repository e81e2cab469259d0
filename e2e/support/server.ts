// Starts the real bmpwatch server (apps/server) for a test, on free ports, and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

export interface RunningServer {
  url: string;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with code ${child.exitCode}; log: ${logFile}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms (${last}); log: ${logFile}`);
}

/**
 * `tsx apps/server/src/main.ts --port <free> --bmp-port 0 …args`, demo feed unless args say
 * otherwise. Resolves once /api/health answers 200.
 */
export async function startServer(
  args: string[] = [],
  env: Record<string, string> = {},
  fixedPort?: number,
): Promise<RunningServer> {
  const port = fixedPort ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'bmpwatch-e2e-'));
  const logFile = join(dir, 'server.log');
  const log = createWriteStream(logFile);
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const child = spawn(
    tsx,
    ['apps/server/src/main.ts', '--host', '127.0.0.1', '--port', String(port), '--bmp-port', '0', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, BMPWATCH_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(url, child, 60_000, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, logFile, stop };
}
