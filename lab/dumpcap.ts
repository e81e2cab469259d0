import { ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

/** A dumpcap packet capture, written as classic pcap (`-P`) so any tool can read the fixture. */
export class Dumpcap {
  private constructor(private readonly proc: ManagedProcess) {}

  static async start(opts: {
    iface: string;
    filter: string;
    out: string;
    logFile: string;
  }): Promise<Dumpcap> {
    const proc = new ManagedProcess(
      'dumpcap',
      'dumpcap',
      ['-i', opts.iface, '-f', opts.filter, '-P', '-w', opts.out],
      {
        logFile: opts.logFile,
      },
    );
    // Packets sent before dumpcap has opened the interface are lost; its banner says it is ready.
    await waitFor(
      async () => {
        await proc.assertAlive();
        return proc.tail().includes('Capturing on') ? true : undefined;
      },
      { timeoutMs: 10_000, what: `dumpcap to start on ${opts.iface}`, diagnostics: () => proc.tail() },
    );
    return new Dumpcap(proc);
  }

  /** SIGINT makes dumpcap flush and close the file, and print its received/dropped counts. */
  async stop(): Promise<void> {
    await this.proc.stop('SIGINT', 5000);
  }

  /** dumpcap's closing lines, e.g. "Packets received/dropped on interface 'x': 14680/0 (…)". */
  summary(): string {
    return this.proc.tail(5);
  }
}
