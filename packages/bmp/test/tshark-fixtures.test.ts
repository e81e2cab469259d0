/**
 * Cross-checks the lab fixtures without our decoder: tshark's dissectors against a walk of the raw
 * stream's common headers, and against the routes the lab's feeds say they announced.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type RouteFact,
  type TsharkFacts,
  tsharkAvailable,
  tsharkFacts,
  walkRawBmp,
} from './support/tshark.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const HAVE_TSHARK = tsharkAvailable();
const NO_TSHARK = 'tshark is not installed (scripts/ensure-system-deps.sh installs it; CI always has it)';

interface InjectedRoute {
  speaker: string;
  prefix: string;
  pathId: number | null;
  asPath: string;
  communities: string[];
  policy: 'reject' | 'modify' | 'accept';
}

/** The lab's speakers (lab/topology.ts): A adds paths, B is 2-byte-AS only, C peers over IPv6. */
const SPEAKER_BY_PEER: Record<string, string> = {
  '127.0.0.11': 'A',
  '127.0.0.12': 'B',
  '2001:db8:ffff::13': 'C',
};

let factsPromise: Promise<TsharkFacts> | undefined;
/** One tshark run (about 5 s) shared by every test. */
const facts = (): Promise<TsharkFacts> => {
  factsPromise ??= tsharkFacts(fixture('lab-gobgp.pcap'));
  return factsPromise;
};

function injected(): InjectedRoute[] {
  return (JSON.parse(readFileSync(fixture('lab-gobgp.injected.json'), 'utf8')) as { routes: InjectedRoute[] })
    .routes;
}

/** Applies announcements and withdrawals in stream order; what is left is the final table. */
function replay(routes: RouteFact[], key: (r: RouteFact) => string): Map<string, RouteFact> {
  const table = new Map<string, RouteFact>();
  for (const r of routes) {
    if (r.type === 'announce') table.set(key(r), r);
    else table.delete(key(r));
  }
  return table;
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('lab fixtures seen by tshark', () => {
  it('counts the same messages per type as walking the raw stream', async (ctx) => {
    ctx.skip(!HAVE_TSHARK, NO_TSHARK);
    const walked = walkRawBmp(readFileSync(fixture('lab-gobgp.bmp')));
    const { counts } = await facts();
    expect(counts).toEqual(walked);
    expect(walked.initiation).toBe(1);
    expect(walked.termination).toBe(1);
    expect(walked.peer_up).toBeGreaterThanOrEqual(3);
    expect(walked.peer_down).toBeGreaterThanOrEqual(1);
    expect(walked.statistics_report).toBeGreaterThanOrEqual(1);
    expect(walked.route_monitoring).toBeGreaterThan(1000);
  });

  it('sees every speaker, both families, AS_SETs, ADD-PATH, post-policy and Loc-RIB routes', async (ctx) => {
    ctx.skip(!HAVE_TSHARK, NO_TSHARK);
    const { peers, routes } = await facts();
    expect(peers).toEqual(['127.0.0.11 AS4200000001', '127.0.0.12 AS65012', '2001:db8:ffff::13 AS65013']);
    expect(routes.length).toBeGreaterThan(1000);
    expect(routes.some((r) => r.prefix.includes('.'))).toBe(true);
    expect(routes.some((r) => r.prefix.includes(':'))).toBe(true);
    expect(routes.some((r) => /\{\d+(,\d+)+\}/.test(r.path))).toBe(true);
    expect(routes.some((r) => r.post_policy)).toBe(true);
    expect(routes.some((r) => r.peer_type === 3)).toBe(true);
    expect(routes.some((r) => r.path_id !== null && r.path_id > 1)).toBe(true);
    expect(routes.some((r) => r.type === 'withdraw')).toBe(true);
    // Speaker B has no 4-octet AS capability: its 4-byte ASNs only survive through AS4_PATH.
    const preB = routes.filter((r) => r.peer === '127.0.0.12' && !r.post_policy && r.type === 'announce');
    expect(preB.some((r) => /\b\d{6,}\b/.test(r.path))).toBe(true);
    expect(preB.some((r) => r.path.split(/[ {},]/).includes('23456'))).toBe(false);
  });

  it('keeps the GoBGP 3.10 quirk: AS_TRANS stays in post-policy paths of B whose AS4_PATH has an AS_SET', async (ctx) => {
    ctx.skip(!HAVE_TSHARK, NO_TSHARK);
    const { routes } = await facts();
    // GoBGP does not merge such an AS4_PATH, so its own post-policy and Loc-RIB copies carry 23456;
    // a decoder must show what is on the wire, not repair it.
    const trans = routes.filter((r) => r.path.split(/[ {},]/).includes('23456'));
    expect(trans.length).toBeGreaterThan(0);
    for (const r of trans) {
      expect(r.post_policy || r.peer_type === 3).toBe(true);
      expect(r.path).toMatch(/\{/);
    }
  });

  it('replays pre-policy routes to exactly what the feeds announced', async (ctx) => {
    ctx.skip(!HAVE_TSHARK, NO_TSHARK);
    const { routes } = await facts();
    const pre = routes.filter((r) => r.peer_type === 0 && !r.post_policy);
    const table = replay(pre, (r) => `${SPEAKER_BY_PEER[r.peer]} ${r.prefix} ${r.path_id}`);
    const want = new Map(injected().map((r) => [`${r.speaker} ${r.prefix} ${r.pathId}`, r]));
    expect(sorted([...table.keys()])).toEqual(sorted([...want.keys()]));
    for (const [key, r] of table) {
      const w = want.get(key)!;
      expect({ key, path: r.path, community: sorted(r.community) }).toEqual({
        key,
        path: w.asPath,
        community: sorted(w.communities),
      });
    }
  });

  it('shows the import policy: rejected routes pre-policy only, tagged routes modified post-policy', async (ctx) => {
    ctx.skip(!HAVE_TSHARK, NO_TSHARK);
    const { routes } = await facts();
    const inj = injected();
    const rejected = new Set(inj.filter((r) => r.policy === 'reject').map((r) => r.prefix));
    const announced = routes.filter((r) => r.type === 'announce');
    expect(announced.some((r) => !r.post_policy && r.peer_type === 0 && rejected.has(r.prefix))).toBe(true);
    expect(announced.some((r) => (r.post_policy || r.peer_type === 3) && rejected.has(r.prefix))).toBe(false);

    // Speakers without ADD-PATH (B, C): the post-policy table is exactly their accepted routes,
    // tagged ones with the policy's community added. (Speaker A's post-policy messages carry no
    // path ids, so withdrawing one of several paths withdraws the prefix there.)
    for (const speaker of ['B', 'C']) {
      const post = replay(
        routes.filter((r) => SPEAKER_BY_PEER[r.peer] === speaker && r.post_policy),
        (r) => r.prefix,
      );
      const mine = inj.filter((r) => r.speaker === speaker && r.policy !== 'reject');
      expect(sorted([...post.keys()])).toEqual(sorted(mine.map((r) => r.prefix)));
      const tagged = mine.filter((r) => r.policy === 'modify');
      expect(tagged.length).toBeGreaterThan(0);
      for (const r of tagged) {
        expect(post.get(r.prefix)?.community).toEqual(expect.arrayContaining([...r.communities, '65001:1']));
      }
      for (const r of mine.filter((x) => x.policy === 'accept')) {
        expect(post.get(r.prefix)?.community).not.toContain('65001:1');
      }
    }

    const locRib = replay(
      routes.filter((r) => r.peer_type === 3),
      (r) => r.prefix,
    );
    const bestable = new Set(inj.filter((r) => r.policy !== 'reject').map((r) => r.prefix));
    expect(sorted([...locRib.keys()])).toEqual(sorted([...bestable]));
  });
});
