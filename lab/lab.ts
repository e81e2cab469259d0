/**
 * A real-router BMP lab: GoBGP (the monitored router, sending BMP) and ExaBGP speakers (feeding it
 * routes) in a private network namespace, joined to the root namespace by a veth pair so that
 * GoBGP's BMP session reaches a collector listening in the root namespace. See lab/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LabError } from './errors.ts';
import { exabgpEnv, renderExabgpConfig } from './exabgp-config.ts';
import { DEFAULT_FEED, FeedFiles, type FeedOptions, type InjectedRoute } from './feed.ts';
import { GobgpCli, type NeighborInfo, type RibCount } from './gobgp-cli.ts';
import { type RouteMonitoringPolicy, renderGobgpConfig } from './gobgp-config.ts';
import { createNetwork, destroyNetwork } from './netns.ts';
import { ManagedProcess } from './process.ts';
import { run } from './run.ts';
import { DEFAULT_SPEAKERS, type LabNetwork, labNetwork, type SpeakerSpec } from './topology.ts';
import { waitFor } from './wait.ts';

export { LabError } from './errors.ts';
export type { FeedOptions, InjectedRoute } from './feed.ts';
export type { NeighborInfo, RibCount } from './gobgp-cli.ts';
export type { RouteMonitoringPolicy } from './gobgp-config.ts';
export { labUnavailableReason } from './prerequisites.ts';
export type { LabNetwork, SpeakerSpec } from './topology.ts';
export { DEFAULT_SPEAKERS, IPV6_SPEAKER, labNetwork } from './topology.ts';

export interface LabOptions {
  /**
   * Where the collector listens in the root namespace. host must be a wildcard ('0.0.0.0', '::')
   * or `labNetwork(name).hostAddress`; GoBGP always connects to the veth host address.
   */
  collector: { host: string; port: number };
  /** Distinguishes concurrent labs; a stale lab with the same name is removed first. Default 'bmplab'. */
  name?: string;
  speakers?: readonly SpeakerSpec[];
  routeMonitoringPolicy?: RouteMonitoringPolicy;
  /** Applies to every speaker; `perSpeaker` overrides by speaker name. */
  feed?: Partial<FeedOptions> & { perSpeaker?: Record<string, Partial<FeedOptions>> };
  /** Seconds between Statistics Reports (GoBGP's `statistics-timeout`). Default 15. */
  statisticsTimeout?: number;
  sysName?: string;
  sysDescr?: string;
  /**
   * Runs once the veth exists and before gobgpd starts: the place to bind a collector to the
   * veth host address, or to start a packet capture on `network.hostIf`.
   */
  onNetworkReady?: (network: LabNetwork) => Promise<void> | void;
  /** Time for gobgpd's API and ExaBGP processes to come up. Default 20 s. */
  startTimeoutMs?: number;
  /** Keep configs and logs after stop() (also with env BMPLAB_KEEP=1), e.g. to debug a failure. */
  keepTempDir?: boolean;
}

export interface RibCounts {
  ipv4: RibCount;
  ipv6: RibCount;
}

export interface Lab {
  readonly name: string;
  readonly network: LabNetwork;
  readonly speakers: readonly SpeakerSpec[];
  /** Temp dir holding configs, logs and feed state. */
  readonly dir: string;
  /** Address GoBGP sends BMP to. */
  readonly bmpTarget: { host: string; port: number };
  /** Resolves when every speaker's session is Established. */
  waitEstablished(timeoutMs?: number): Promise<NeighborInfo[]>;
  /**
   * Resolves when every speaker that should be up (not killed, not disabled) is Established and
   * GoBGP's RIB holds exactly the routes their feeds announced and its policy accepts (one path
   * per prefix and path id).
   */
  waitConverged(timeoutMs?: number): Promise<RibCounts>;
  neighbors(): Promise<NeighborInfo[]>;
  /**
   * Accepts a neighbor address or a speaker name; resolves once the session is down. GoBGP then
   * sends post-policy and Loc-RIB withdrawals for the peer's routes, then Peer Down (reason 1).
   */
  disableNeighbor(addressOrName: string): Promise<void>;
  enableNeighbor(addressOrName: string): Promise<void>;
  /** Routes currently announced by the feeds (waits for each feed's initial announcement). */
  injected(timeoutMs?: number): Promise<InjectedRoute[]>;
  /** Every running feed withdraws `count` routes and re-announces half of them with new attributes. */
  churn(count?: number, timeoutMs?: number): Promise<void>;
  ribCount(): Promise<RibCounts>;
  /** `gobgp bmp del`: GoBGP sends a Termination and closes the BMP session. */
  bmpDel(): Promise<void>;
  /**
   * Signals a speaker's ExaBGP (SIGKILL: session drops at once; SIGSTOP: hold timer expires after
   * 90 s). From then on the speaker counts as down for waitConverged(), until SIGCONT or restartSpeaker().
   */
  killSpeaker(name: string, signal?: NodeJS.Signals): void;
  /** Starts a killed speaker again; its feed announces its initial table anew. */
  restartSpeaker(name: string): Promise<void>;
  /** Tails of the gobgpd and ExaBGP logs. */
  logs(lines?: number): string;
  /** Stops every process by PID, deletes the namespace and veth, removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

function resolveFeed(opts: LabOptions, speaker: SpeakerSpec): FeedOptions {
  const { perSpeaker, ...common } = opts.feed ?? {};
  return { ...DEFAULT_FEED, ...common, ...(perSpeaker?.[speaker.name] ?? {}) };
}

function checkOptions(opts: LabOptions, net: LabNetwork, speakers: readonly SpeakerSpec[]): void {
  const { host, port } = opts.collector;
  if (!WILDCARDS.has(host) && host !== net.hostAddress) {
    throw new LabError(
      'LAB_CONFIG',
      `collector host ${host} is not reachable from the lab namespace: listen on 0.0.0.0 or on ${net.hostAddress} (the veth host address)`,
    );
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new LabError('LAB_CONFIG', `collector port ${port} is not a TCP port`);
  }
  const names = new Set(speakers.map((s) => s.name));
  const addresses = new Set(speakers.map((s) => s.address));
  if (names.size !== speakers.length || addresses.size !== speakers.length) {
    throw new LabError('LAB_CONFIG', 'speaker names and addresses must be unique');
  }
  for (const s of speakers) {
    if (!/^[A-Za-z0-9_-]+$/.test(s.name))
      throw new LabError('LAB_CONFIG', `speaker name ${s.name}: letters, digits, - and _ only`);
  }
}

class RunningLab implements Lab {
  readonly name: string;
  readonly network: LabNetwork;
  readonly speakers: readonly SpeakerSpec[];
  readonly dir: string;
  readonly bmpTarget: { host: string; port: number };
  private readonly cli: GobgpCli;
  private readonly feeds = new Map<string, FeedFiles>();
  private readonly exabgp = new Map<string, ManagedProcess>();
  private gobgpd: ManagedProcess | undefined;
  /** Speakers signalled through killSpeaker(): their exit is intended, not a failure. */
  private readonly killed = new Set<string>();
  /** Neighbor addresses disabled through disableNeighbor(): their sessions are meant to be down. */
  private readonly disabled = new Set<string>();
  private stopping: Promise<void> | undefined;
  private readonly exitHook = (): void => this.stopSync();

  constructor(
    private readonly opts: LabOptions,
    network: LabNetwork,
    speakers: readonly SpeakerSpec[],
  ) {
    this.name = opts.name ?? 'bmplab';
    this.network = network;
    this.speakers = speakers;
    this.dir = mkdtempSync(join(tmpdir(), `bmplab-${this.name}-`));
    this.bmpTarget = { host: network.hostAddress, port: opts.collector.port };
    this.cli = new GobgpCli(network);
    speakers.forEach((s, index) => {
      this.feeds.set(s.name, new FeedFiles(this.dir, s, index, resolveFeed(opts, s)));
    });
    // If the caller's process exits without stop() (a crashed test run), still leave nothing behind.
    process.once('exit', this.exitHook);
  }

  async start(): Promise<void> {
    const timeoutMs = this.opts.startTimeoutMs ?? 20_000;
    await destroyNetwork(this.network);
    this.removeStaleDirs();
    await createNetwork(
      this.network,
      this.speakers.map((s) => s.address).filter((a) => a.includes(':')),
    );
    await this.opts.onNetworkReady?.(this.network);
    await this.startGobgpd(timeoutMs);
    const procs = this.speakers.map((s) => this.startSpeaker(s));
    // ExaBGP rejects a bad config within a fraction of a second; catch that here with its log.
    await Promise.all(procs.map((p) => p.assertAlive(300)));
  }

  /**
   * Temp dirs of earlier labs with this name whose owner died before stop() (mkdtemp adds 6
   * chars). Kept with BMPLAB_KEEP=1, which asks for logs to stay.
   */
  private removeStaleDirs(): void {
    if (process.env.BMPLAB_KEEP === '1') return;
    const own = basename(this.dir);
    const stale = new RegExp(`^bmplab-${this.name}-[A-Za-z0-9]{6}$`);
    for (const entry of readdirSync(tmpdir())) {
      if (entry !== own && stale.test(entry)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }

  private async startGobgpd(timeoutMs: number): Promise<void> {
    const conf = join(this.dir, 'gobgpd.toml');
    writeFileSync(
      conf,
      renderGobgpConfig({
        network: this.network,
        speakers: this.speakers,
        collectorPort: this.opts.collector.port,
        routeMonitoringPolicy: this.opts.routeMonitoringPolicy ?? 'all',
        statisticsTimeout: this.opts.statisticsTimeout ?? 15,
        sysName: this.opts.sysName ?? `bmpwatch-lab-${this.name}`,
        sysDescr: this.opts.sysDescr ?? 'GoBGP in the bmpwatch lab',
      }),
    );
    // `-d` only parses the file: a config error then reads as one, not as a daemon that died.
    await run('gobgpd', ['-f', conf, '-d']);
    const api = `${this.network.apiAddress}:${this.network.apiPort}`;
    this.gobgpd = new ManagedProcess(
      'gobgpd',
      'ip',
      [
        'netns',
        'exec',
        this.network.netns,
        'gobgpd',
        '-f',
        conf,
        '-p',
        '--pprof-disable',
        '--api-hosts',
        api,
      ],
      { logFile: join(this.dir, 'gobgpd.log'), cwd: this.dir },
    );
    const gobgpd = this.gobgpd;
    await waitFor(
      async () => {
        await gobgpd.assertAlive();
        return this.cli.neighbors();
      },
      { timeoutMs, what: `gobgpd's API on ${api} in ${this.network.netns}`, diagnostics: () => this.logs() },
    );
  }

  private startSpeaker(s: SpeakerSpec): ManagedProcess {
    const feed = this.feed(s.name);
    feed.install();
    const conf = join(this.dir, `exabgp-${s.name}.conf`);
    writeFileSync(
      conf,
      renderExabgpConfig({ network: this.network, speaker: s, feedCommand: feed.command() }),
    );
    const proc = new ManagedProcess(
      'exabgp ' + s.name,
      'ip',
      ['netns', 'exec', this.network.netns, 'exabgp', conf],
      {
        logFile: join(this.dir, `exabgp-${s.name}.log`),
        env: exabgpEnv(),
        cwd: this.dir,
      },
    );
    this.exabgp.set(s.name, proc);
    return proc;
  }

  /** Throws LAB_PROCESS (which ends any wait at once) if gobgpd or a speaker died on its own. */
  private assertAlive(): void {
    const dead = [
      this.gobgpd,
      ...[...this.exabgp].filter(([n]) => !this.killed.has(n)).map(([, p]) => p),
    ].filter((p) => p !== undefined && !p.running);
    if (dead.length > 0) {
      throw new LabError(
        'LAB_PROCESS',
        `${dead.map((p) => `${p?.name} ${p?.describeExit()}`).join(', ')} unexpectedly\n${this.logs()}`,
      );
    }
  }

  private feed(name: string): FeedFiles {
    const feed = this.feeds.get(name);
    if (!feed)
      throw new LabError(
        'LAB_CONFIG',
        `no speaker named ${name} (have ${[...this.feeds.keys()].join(', ')})`,
      );
    return feed;
  }

  private address(addressOrName: string): string {
    return this.speakers.find((s) => s.name === addressOrName)?.address ?? addressOrName;
  }

  logs(lines = 25): string {
    const procs = [this.gobgpd, ...this.exabgp.values()].filter((p): p is ManagedProcess => p !== undefined);
    return procs
      .map((p) => `--- ${p.name} (${p.describeExit()}), last lines of ${p.logFile}:\n${p.tail(lines)}`)
      .join('\n');
  }

  private async diagnostics(): Promise<string> {
    let table: string;
    try {
      table = JSON.stringify(await this.neighbors());
    } catch (err) {
      table = `(gobgp neighbor failed: ${(err as Error).message})`;
    }
    return `neighbors: ${table}\n${this.logs()}`;
  }

  neighbors(): Promise<NeighborInfo[]> {
    return this.cli.neighbors();
  }

  async waitEstablished(timeoutMs = 30_000): Promise<NeighborInfo[]> {
    const want = this.speakers.map((s) => s.address);
    return waitFor(
      async () => {
        this.assertAlive();
        const ns = await this.neighbors();
        const up = want.every((a) => ns.some((n) => n.address === a && n.state === 'established'));
        return up ? ns : undefined;
      },
      {
        timeoutMs,
        what: `sessions with ${want.join(', ')} to be Established`,
        diagnostics: () => this.diagnostics(),
      },
    );
  }

  async injected(timeoutMs = 30_000): Promise<InjectedRoute[]> {
    const feeds = [...this.feeds.values()];
    await waitFor(
      async () => {
        this.assertAlive();
        return feeds.every((f) => f.read() !== undefined) ? true : undefined;
      },
      {
        timeoutMs,
        what: 'every feed to finish its initial announcement',
        diagnostics: () => this.logs(),
      },
    );
    return feeds.flatMap((f) => f.injected());
  }

  async ribCount(): Promise<RibCounts> {
    const [ipv4, ipv6] = await Promise.all([this.cli.ribCount('ipv4'), this.cli.ribCount('ipv6')]);
    return { ipv4, ipv6 };
  }

  async waitConverged(timeoutMs = 60_000): Promise<RibCounts> {
    let last = '';
    return waitFor(
      async () => {
        this.assertAlive();
        // Every speaker that should be up must be: a flapping session is not convergence.
        const live = this.speakers.filter((s) => !this.killed.has(s.name) && !this.disabled.has(s.address));
        const neighbors = await this.neighbors();
        const down = live.filter(
          (s) => !neighbors.some((n) => n.address === s.address && n.state === 'established'),
        );
        const routes = live.flatMap((s) => this.feed(s.name).injected()).filter((r) => r.policy !== 'reject');
        const expected = {
          ipv4: routes.filter((r) => r.family === 'ipv4').length,
          ipv6: routes.filter((r) => r.family === 'ipv6').length,
        };
        const have = await this.ribCount();
        last = `expected paths ${JSON.stringify(expected)}, RIB has ${JSON.stringify(have)}`;
        const ready = down.length === 0 && live.every((s) => this.feed(s.name).read() !== undefined);
        if (down.length > 0) last += `; not Established: ${down.map((s) => s.name).join(', ')}`;
        return ready && have.ipv4.paths === expected.ipv4 && have.ipv6.paths === expected.ipv6
          ? have
          : undefined;
      },
      {
        timeoutMs,
        intervalMs: 250,
        what: 'GoBGP RIB to match the injected routes',
        diagnostics: async () => `${last}\n${await this.diagnostics()}`,
      },
    );
  }

  async churn(count = 50, timeoutMs = 30_000): Promise<void> {
    const live = [...this.feeds.values()].filter((f) => this.exabgp.get(f.speaker.name)?.running);
    const round = Math.max(0, ...live.map((f) => f.read()?.round ?? 0)) + 1;
    for (const f of live) f.requestChurn(round, count);
    await waitFor(async () => (live.every((f) => (f.read()?.round ?? 0) >= round) ? true : undefined), {
      timeoutMs,
      what: `churn round ${round} in feeds ${live.map((f) => f.speaker.name).join(', ')}`,
      diagnostics: () => this.logs(),
    });
  }

  async disableNeighbor(addressOrName: string): Promise<void> {
    const address = this.address(addressOrName);
    await this.cli.setNeighbor(address, 'disable');
    this.disabled.add(address);
    // Return once the session is down, so a following waitConverged() sees the routes gone.
    await waitFor(
      async () =>
        (await this.neighbors()).some((n) => n.address === address && n.state === 'established')
          ? undefined
          : true,
      {
        timeoutMs: 10_000,
        what: `session with ${address} to go down`,
        diagnostics: () => this.diagnostics(),
      },
    );
  }

  async enableNeighbor(addressOrName: string): Promise<void> {
    const address = this.address(addressOrName);
    await this.cli.setNeighbor(address, 'enable');
    this.disabled.delete(address);
  }

  async bmpDel(): Promise<void> {
    await this.cli.bmpDel(this.bmpTarget.host, this.bmpTarget.port);
  }

  killSpeaker(name: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.feed(name); // throws a clear error for an unknown name
    const proc = this.exabgp.get(name);
    if (!proc?.running) throw new LabError('LAB_PROCESS', `speaker ${name} is not running`);
    if (signal === 'SIGCONT') this.killed.delete(name);
    else this.killed.add(name);
    proc.signal(signal);
  }

  async restartSpeaker(name: string): Promise<void> {
    const feed = this.feed(name);
    await this.exabgp.get(name)?.stop('SIGKILL');
    // A fresh feed starts at churn round 0; an old control file would make it churn at once.
    for (const f of [feed.control, feed.state]) {
      try {
        unlinkSync(f);
      } catch {
        // Not there: fine.
      }
    }
    await this.startSpeaker(feed.speaker).assertAlive(300);
    this.killed.delete(name);
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const procs = [...this.exabgp.values(), this.gobgpd].filter((p): p is ManagedProcess => p !== undefined);
    // A SIGSTOPped speaker would ignore SIGTERM until continued.
    for (const p of procs) p.signal('SIGCONT');
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 3000)));
    // Sweeps up anything else in the namespace (feeds orphaned by a SIGKILLed ExaBGP), then deletes it.
    await destroyNetwork(this.network);
    if (!this.opts.keepTempDir && process.env.BMPLAB_KEEP !== '1')
      rmSync(this.dir, { recursive: true, force: true });
    process.removeListener('exit', this.exitHook);
  }

  /** Last-resort clean-up from an 'exit' handler, where nothing asynchronous runs any more. */
  private stopSync(): void {
    for (const p of [...this.exabgp.values(), this.gobgpd]) p?.signal('SIGKILL');
    try {
      const pids = execFileSync('ip', ['netns', 'pids', this.network.netns], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      for (const pid of pids.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      execFileSync('ip', ['netns', 'del', this.network.netns], { stdio: 'ignore' });
    } catch {
      // Namespace already gone.
    }
    try {
      execFileSync('ip', ['link', 'del', this.network.hostIf], { stdio: 'ignore' });
    } catch {
      // Went with the namespace.
    }
    if (!this.opts.keepTempDir && process.env.BMPLAB_KEEP !== '1')
      rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Builds the namespace and veth, starts gobgpd and one ExaBGP per speaker. Does not wait for the
 * sessions: call `waitEstablished()` / `waitConverged()`. On failure everything started so far is
 * stopped before the error is thrown.
 */
export async function startLab(opts: LabOptions): Promise<Lab> {
  const name = opts.name ?? 'bmplab';
  const network = labNetwork(name);
  const speakers = opts.speakers ?? DEFAULT_SPEAKERS;
  checkOptions(opts, network, speakers);
  const lab = new RunningLab(opts, network, speakers);
  try {
    await lab.start();
  } catch (err) {
    const keep = lab.dir;
    await lab.stop().catch(() => undefined);
    if (err instanceof Error && process.env.BMPLAB_KEEP === '1') err.message += `\n(logs kept in ${keep})`;
    throw err;
  }
  return lab;
}
