/** The server under test as a child process (its own CPU and memory), with /proc sampling and WebSocket clients. */

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLK_TCK = 100;

export interface ProcSample {
  cpuSeconds: number;
  /** Seconds the server was runnable but waiting for a CPU (other processes had them): /proc/PID/schedstat. */
  runQueueSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  // schedstat covers the main thread only: on-CPU ns, run-queue wait ns, timeslices.
  const sched = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
  return {
    cpuSeconds,
    runQueueSeconds: Number(sched[1]) / 1e9,
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
  };
}

export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(args: string[]): Promise<ServerProcess> {
    // `node --import tsx` (not the tsx CLI) so that the pid measured is the server itself.
    // BENCH_NODE_ARGS passes extra node flags to the server (e.g. --cpu-prof to profile it).
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(
      process.execPath,
      // Every client connects from 127.0.0.1: the per-address limits would stop a load run. No demo feed, and
      // warnings only. The server takes the last occurrence of a flag, so args may override any of these.
      [
        ...nodeArgs,
        '--import',
        'tsx',
        'src/main.ts',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--max-clients-per-ip',
        '0',
        '--rate-limit',
        '0',
        '--demo',
        'off',
        '--log-level',
        'warn',
        ...args,
      ],
      {
        cwd: SERVER_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /bmpwatch dashboard: (http:\/\/[^/\s]+)\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${out}`));
      });
    });
    // Keep draining its output (warnings only at --log-level warn) so the pipe never blocks it;
    // BMPWATCH_BENCH_SERVER_LOG=FILE keeps it (add --log-level info to the server's args to see more).
    const keep = process.env.BMPWATCH_BENCH_SERVER_LOG;
    if (keep) {
      const file = createWriteStream(keep, { flags: 'a' });
      file.write(out);
      child.stdout!.pipe(file);
      child.stderr!.pipe(file);
    } else {
      child.stdout!.resume();
      child.stderr!.resume();
    }
    // A test that times out is abandoned without its finally blocks: the server must not outlive the process
    // that started it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    return new ServerProcess(child, url);
  }

  async json<T>(path: string): Promise<T> {
    return (await (await fetch(this.url + path)).json()) as T;
  }

  /** Polls /api/health every intervalMs until the Kafka source is ok, without a deadline (a bench waits). */
  async waitForKafkaOk(intervalMs: number): Promise<void> {
    for (;;) {
      const h = await this.json<{ sources: { id: string; status: string }[] }>('/api/health');
      const kafka = h.sources.find((s) => s.id === 'kafka');
      if (!kafka) throw new Error(`no kafka source in /api/health: ${JSON.stringify(h)}`);
      if (kafka.status === 'ok') return;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

const BATCH = Buffer.from('"type":"batch"');
const ANNOUNCE = Buffer.from('{"kind":"announce"');
const WITHDRAW = Buffer.from('{"kind":"withdraw"');

function count(data: Buffer, what: Buffer): number {
  let n = 0;
  for (let at = data.indexOf(what); at >= 0; at = data.indexOf(what, at + what.length)) n++;
  return n;
}

/** Resolves once the socket's `subscribe` (sent on the hello frame) is answered `subscribed`. */
export function subscribeAfterHello(ws: WebSocket, filter: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', function onMessage(data: Buffer) {
      const f = JSON.parse(data.toString());
      if (f.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', id: 'bench', filter }));
      else if (f.type === 'subscribed') {
        ws.off('message', onMessage);
        resolve();
      } else if (f.type === 'error') reject(new Error(f.message));
    });
  });
}

/** A benchmark client: subscribes once, counts route events and, when asked, their latency. */
export class BenchClient {
  routes = 0;
  dropped = 0;
  latencies: number[] | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      // Clients share the machine with the server: count events without parsing when no latency is wanted.
      if (this.latencies === null && data.indexOf(BATCH) >= 0 && data.indexOf(BATCH) < 32) {
        this.routes += count(data, ANNOUNCE) + count(data, WITHDRAW);
        return;
      }
      const f = JSON.parse(data.toString());
      if (f.type === 'batch') {
        this.routes += f.routes.length;
        if (this.latencies !== null) {
          const now = Date.now() / 1000;
          for (const r of f.routes) this.latencies.push((now - r.ts) * 1000);
        }
      } else if (f.type === 'dropped') this.dropped += f.count;
    });
  }

  static async connect(url: string, filter: unknown): Promise<BenchClient> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/ws');
    const c = new BenchClient(ws);
    await subscribeAfterHello(ws, filter);
    return c;
  }

  close(): void {
    this.ws.close();
  }
}
