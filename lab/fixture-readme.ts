import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { run } from './run.ts';

export interface FixtureFacts {
  files: string[];
  command: string;
  port: number;
  seed: number;
  size: number;
  statisticsTimeout: number;
  hostAddress: string;
  routerAddress: string;
  /** Per-type message counts of the raw stream. */
  counts: Record<string, number>;
  /** Reason codes of the Peer Down messages, in stream order. */
  peerDownReasons: number[];
  injectedRoutes: number;
  /** Lines describing what happened, in order, with elapsed seconds. */
  timeline: string[];
}

async function firstLine(file: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, args);
    return (stdout.trim() || stderr.trim()).split('\n')[0] ?? '';
  } catch (err) {
    return `(${file} ${args.join(' ')} failed: ${(err as Error).message.split('\n')[0]})`;
  }
}

export async function toolVersions(): Promise<Record<string, string>> {
  const exabgp = await run('exabgp', ['--version']).catch(() => ({ stdout: '', stderr: '' }));
  return {
    gobgpd: await firstLine('gobgpd', ['--version']),
    exabgp:
      exabgp.stdout
        .split('\n')
        .find((l) => l.startsWith('ExaBGP'))
        ?.trim() ?? '(unknown)',
    python:
      exabgp.stdout
        .split('\n')
        .find((l) => l.startsWith('Python'))
        ?.trim() ?? '(unknown)',
    tshark: await firstLine('tshark', ['--version']),
    dumpcap: await firstLine('dumpcap', ['--version']),
    node: process.version,
  };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The provenance README of packages/bmp/test/fixtures, rewritten on every capture. */
export async function renderFixtureReadme(f: FixtureFacts): Promise<string> {
  const versions = await toolVersions();
  const rows = f.files.map((p) => `| \`${basename(p)}\` | ${statSync(p).size} | \`${sha256(p)}\` |`);
  const counts = Object.entries(f.counts).map(([type, n]) => `| ${type} | ${n} |`);
  return `# BMP fixtures from the real-router lab

Captured from real BGP software, not synthesised: GoBGP (the monitored router) sent BMP to a
capture listener while ExaBGP speakers fed it routes (see \`lab/README.md\` for the topology).

**Tests must not regenerate or download these files.** They are inputs; if the lab changes,
regenerate them deliberately with the command below and commit the new files with this README.

## Files

| file | bytes | SHA-256 |
|---|---|---|
${rows.join('\n')}

- \`lab-gobgp.bmp\`: the raw BMP byte stream exactly as the collector received it over TCP (one session).
- \`lab-gobgp.pcap\`: the same session captured by \`dumpcap -P\` on the host end of the lab's veth
  (filter \`tcp port ${f.port}\`), for tshark cross-checks. Decode with
  \`tshark -r lab-gobgp.pcap -o gui.max_tree_depth:5000 -o tcp.reassemble_out_of_order:TRUE -d tcp.port==${f.port},bmp\`.
- \`lab-gobgp.injected.json\`: the routes the ExaBGP feeds had announced (and not withdrawn) at the end
  of the capture, with each route's fate under GoBGP's import policy (\`reject\`, \`modify\`, \`accept\`).

## Provenance

- Date: ${new Date().toISOString()}
- Command: \`${f.command}\` (from the repository root, as root)
- Tools: ${Object.entries(versions)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ')}
- Router: GoBGP AS 65001 at ${f.routerAddress} in a private netns, BMP to ${f.hostAddress}:${f.port}
  (veth host end), route-monitoring-policy \`all\` (pre-policy, post-policy and Loc-RIB),
  statistics-timeout ${f.statisticsTimeout} s, import policy rejecting 10.7.0.0/16 and 2001:db8:7::/48
  (and longer) and adding MED +5 and community 65001:1 to routes carrying 64512:100.
- Speakers (ExaBGP), each announcing IPv4 and IPv6 unicast: A = AS 4200000001 at 127.0.0.11 with
  ADD-PATH for IPv4 (several paths for some prefixes); B = AS 65012 at 127.0.0.12 without the
  4-octet AS capability (AS_TRANS + AS4_PATH); C = AS 65013 at 2001:db8:ffff::13, a session over
  IPv6 (per-peer headers with the V flag).
- Feed: seed ${f.seed}, ${f.size} prefixes per speaker; ${f.injectedRoutes} routes announced at the end.

## What happened, in order

${f.timeline.map((l) => `- ${l}`).join('\n')}

## What GoBGP 3.10 puts on the wire here (verified with tshark on this capture)

- Pre-policy Route Monitoring: one message per UPDATE received (several prefixes each); post-policy
  and Loc-RIB (peer type 3, address 0.0.0.0, AS 65001, BGP ID 192.0.2.3): one message per prefix.
- Speaker A's pre-policy IPv4 NLRI carry ADD-PATH path ids; its post-policy and Loc-RIB messages do
  not, so withdrawing one of several paths shows post-policy as a withdrawal of the whole prefix.
- Speaker B's pre-policy messages have the A flag, AS_PATH with AS_TRANS 23456, AS4_PATH and
  AS4_AGGREGATOR. When the AS4_PATH holds an AS_SET, GoBGP ignores it (its log says "AS4_PATH is
  longer than AS_PATH"), so B's post-policy and Loc-RIB copies of those routes keep 23456 in AS_PATH.
- Pre-policy withdrawals in MP_UNREACH_NLRI still carry ORIGIN and AS_PATH attributes.
- Import-rejected routes (10.7.0.0/16, 2001:db8:7::/48) appear only pre-policy. Tagged routes
  (64512:100) get 65001:1 added post-policy; where MED is already 4294967295, GoBGP cannot add 5
  ("med value invalid") and leaves the MED as it is, but still adds the community.
- \`gobgp neighbor 127.0.0.12 disable\`: post-policy and Loc-RIB withdrawals for B's routes (none
  pre-policy), then a Peer Down with reason ${f.peerDownReasons.join(', ')} in this capture.
- Statistics Reports carry types 7, 8, 11 and 12. Per-peer timestamps are whole seconds (0 µs).
- Communities are sorted by ExaBGP on the wire; tshark shows 0:x and 65535:x as "well-known".

## Messages by type (walking the raw stream's common headers)

| type | count |
|---|---|
${counts.join('\n')}

Timestamps are GoBGP's (whole seconds), so byte-for-byte output differs between captures; counts
and routes depend only on the seed and the sequence above, up to GoBGP's grouping of pre-policy
UPDATEs and the timing of Statistics Reports.
`;
}
