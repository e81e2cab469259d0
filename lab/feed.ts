import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './errors.ts';
import { type PolicyFate, policyFate } from './policy-fate.ts';
import type { SpeakerSpec } from './topology.ts';

export interface FeedOptions {
  /** Same seed, same size: same routes (prefixes, attributes, path ids). */
  seed: number;
  /** Prefixes per speaker (ADD-PATH speakers announce extra paths for some of them). */
  size: number;
  /** Share of a speaker's prefixes that are IPv6. */
  ipv6Share: number;
}

export const DEFAULT_FEED: FeedOptions = { seed: 1, size: 1000, ipv6Share: 0.3 };

/** One route a feed announced and has not withdrawn, exactly as sent to ExaBGP. */
export interface InjectedRoute {
  speaker: string;
  family: 'ipv4' | 'ipv6';
  /** Canonical CIDR; IPv6 in RFC 5952 form. */
  prefix: string;
  /** ADD-PATH path identifier, null where ADD-PATH is not used. */
  pathId: number | null;
  nextHop: string;
  origin: 'igp' | 'egp' | 'incomplete';
  /** Space-separated ASNs, an AS_SET as "{a,b}". */
  asPath: string;
  /** Last ASN of the path; null when the path ends in an AS_SET (RFC 6811). */
  originAsn: number | null;
  med: number | null;
  communities: string[];
  largeCommunities: string[];
  extCommunities: string[];
  atomicAggregate: boolean;
  aggregator: string | null;
  /** What GoBGP's import policy does to it (added by the lab, not by the feed). */
  policy: PolicyFate;
}

export interface FeedState {
  speaker: string;
  pid: number;
  /** Number of churn rounds done. */
  round: number;
  events: Array<Record<string, number>>;
  routes: Array<Omit<InjectedRoute, 'policy'>>;
}

const FEED_SOURCE = fileURLToPath(new URL('./feed.py', import.meta.url));

/** The feed program and its state/control files for one speaker, in the lab's temp dir. */
export class FeedFiles {
  readonly script: string;
  readonly state: string;
  readonly control: string;

  constructor(
    dir: string,
    readonly speaker: SpeakerSpec,
    readonly index: number,
    readonly options: FeedOptions,
  ) {
    this.script = join(dir, 'feed.py');
    this.state = join(dir, `feed-${speaker.name}.state.json`);
    this.control = join(dir, `feed-${speaker.name}.control.json`);
  }

  /** Copies lab/feed.py next to the configs, so a running lab never depends on the checkout's path. */
  install(): void {
    if (!existsSync(this.script)) writeFileSync(this.script, readFileSync(FEED_SOURCE));
  }

  /** The `run` line for ExaBGP's process block, which ExaBGP splits on whitespace. */
  command(): string {
    if (/\s/.test(this.script + this.state + this.control)) {
      throw new LabError(
        'LAB_CONFIG',
        `the lab's temp dir must not contain whitespace: ${this.script} (set TMPDIR)`,
      );
    }
    const s = this.speaker;
    const o = this.options;
    return [
      '/usr/bin/python3',
      this.script,
      `--speaker ${s.name}`,
      `--index ${this.index}`,
      `--asn ${s.asn}`,
      `--next-hop4 ${s.nextHop4}`,
      `--next-hop6 ${s.nextHop6}`,
      ...s.families.map((f) => `--family ${f}`),
      ...s.addPath.map((f) => `--add-path ${f}`),
      `--seed ${o.seed}`,
      `--size ${o.size}`,
      `--ipv6-share ${o.ipv6Share}`,
      `--state ${this.state}`,
      `--control ${this.control}`,
    ]
      .filter(Boolean)
      .join(' ');
  }

  /** The feed's state file, or undefined before the initial announcement finished. */
  read(): FeedState | undefined {
    try {
      return JSON.parse(readFileSync(this.state, 'utf8')) as FeedState;
    } catch {
      return undefined;
    }
  }

  requestChurn(round: number, count: number): void {
    const tmp = `${this.control}.tmp`;
    writeFileSync(tmp, JSON.stringify({ round, count }));
    // rename is atomic: the feed polls this file and must never read half of it.
    renameSync(tmp, this.control);
  }

  injected(): InjectedRoute[] {
    const state = this.read();
    return (state?.routes ?? []).map((r) => ({ ...r, policy: policyFate(r.prefix, r.communities) }));
  }
}
