import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { LabError } from './errors.ts';
import { sleep } from './wait.ts';

export interface SpawnOptions {
  /** stdout and stderr both go here: one interleaved log per process, like a terminal. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A long-running child (gobgpd, exabgp, dumpcap) whose output goes to a log file. */
export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<void>;

  constructor(name: string, file: string, args: readonly string[], opts: SpawnOptions) {
    this.name = name;
    this.logFile = opts.logFile;
    // The child writes straight into the file, so logs survive even if this process dies first.
    const fd = openSync(opts.logFile, 'a');
    try {
      this.child = spawn(file, args, {
        stdio: ['ignore', fd, fd],
        env: opts.env ?? process.env,
        cwd: opts.cwd,
      });
    } finally {
      closeSync(fd);
    }
    if (this.child.pid === undefined) {
      throw new LabError('LAB_PROCESS', `${name}: could not start ${file} ${args.join(' ')}`);
    }
    this.pid = this.child.pid;
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      // A spawn error (ENOENT) also ends the process's life; 'exit' may never come.
      this.child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  describeExit(): string {
    if (!this.exitInfo) return 'running';
    return this.exitInfo.signal
      ? `killed by ${this.exitInfo.signal}`
      : `exited with code ${this.exitInfo.code}`;
  }

  /** Last `lines` lines of the log, for error messages. */
  tail(lines = 30): string {
    let text: string;
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return `(no log at ${this.logFile})`;
    }
    const all = text.trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      // Already gone between the check and the kill: fine.
    }
  }

  /** Resolves true if the process exited within `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
    });
    const exited = this.exitPromise.then(() => true);
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** Polite signal first, SIGKILL if it does not exit in `graceMs`. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (!this.running) return;
    this.signal(sig);
    if (await this.waitExit(graceMs)) return;
    this.signal('SIGKILL');
    await this.waitExit(2000);
  }

  /** Fails fast with the log tail if the process dies during start-up. */
  async assertAlive(settleMs = 0): Promise<void> {
    if (settleMs > 0) await sleep(settleMs);
    if (!this.running) {
      throw new LabError(
        'LAB_PROCESS',
        `${this.name} ${this.describeExit()} during start-up:\n${this.tail()}`,
      );
    }
  }
}
