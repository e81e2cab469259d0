/**
 * Reference facts about BMP captures that do not come from our decoder: message counts from walking
 * the raw stream's common headers, and routes as Wireshark's BMP/BGP dissectors see them.
 *
 * tshark options, and why (all found the hard way on loopback/veth captures):
 * - `-o tcp.reassemble_out_of_order:TRUE`: otherwise messages in out-of-order segments vanish silently.
 * - `-o gui.max_tree_depth:5000`: deep BGP trees are cut off at the default depth.
 * - `--no-duplicate-keys`: a frame with several BMP messages would otherwise repeat the `bmp` key in
 *   one JSON object, and JSON.parse keeps only the last one.
 * - `-d tcp.port==PORT,bmp`: BMP has no well-known port that tshark recognises by itself.
 */
import { spawn, spawnSync } from 'node:child_process';

export const BMP_TYPES = [
  'route_monitoring',
  'statistics_report',
  'peer_down',
  'peer_up',
  'initiation',
  'termination',
  'route_mirroring',
] as const;

export type BmpTypeName = (typeof BMP_TYPES)[number];
export type BmpCounts = Record<BmpTypeName, number>;

export interface RouteFact {
  type: 'announce' | 'withdraw';
  /** Per-peer header address ('0.0.0.0' for Loc-RIB messages). */
  peer: string;
  peer_asn: number;
  /** The L flag. Always false for Loc-RIB (peer type 3), where that bit means something else. */
  post_policy: boolean;
  /** Canonical CIDR; IPv6 in RFC 5952 form. */
  prefix: string;
  /** ASNs separated by spaces, an AS_SET as "{a,b}", AS4_PATH merged (RFC 6793); "" for withdrawals. */
  path: string;
  /** "asn:value" in wire order; [] for withdrawals. */
  community: string[];
  /** Extra: per-peer header peer type (0 global, 1 RD, 2 local, 3 Loc-RIB). */
  peer_type: number;
  /** Extra: ADD-PATH path identifier, null when the NLRI has none. */
  path_id: number | null;
}

export interface TsharkFacts {
  counts: BmpCounts;
  /** Sorted unique `${peerAddress} AS${peerAsn}` of every per-peer header, Loc-RIB (peer type 3) excluded. */
  peers: string[];
  /** One per prefix per Route Monitoring message, in stream order. */
  routes: RouteFact[];
}

export function emptyCounts(): BmpCounts {
  return Object.fromEntries(BMP_TYPES.map((t) => [t, 0])) as BmpCounts;
}

/**
 * Counts messages by walking RFC 7854 common headers (version 3, 4-byte length, type). Needs no
 * decoder: it only trusts the length field. Throws on anything that is not a clean BMP v3 stream.
 */
export function walkRawBmp(bytes: Uint8Array): BmpCounts {
  const counts = emptyCounts();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 6) throw new Error(`truncated common header at offset ${offset}`);
    const version = bytes[offset];
    const length = view.getUint32(offset + 1);
    const type = bytes[offset + 5];
    if (version !== 3) throw new Error(`BMP version ${version} at offset ${offset}, expected 3`);
    if (length < 6) throw new Error(`BMP length ${length} at offset ${offset} is shorter than the header`);
    if (offset + length > bytes.length) throw new Error(`message at offset ${offset} runs past the end`);
    const name = BMP_TYPES[type];
    if (name === undefined) throw new Error(`unknown BMP type ${type} at offset ${offset}`);
    counts[name]++;
    offset += length;
  }
  return counts;
}

/** true if a `tshark` binary runs; tests skip (with that reason) when it does not. */
export function tsharkAvailable(): boolean {
  const r = spawnSync('tshark', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

// ---- running tshark -----------------------------------------------------------------------

function tshark(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else {
        const cmd = `tshark ${args.join(' ')}`.slice(0, 400);
        reject(
          new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString('utf8').trim().slice(0, 2000)}`),
        );
      }
    });
  });
}

/** The collector port: destination of the first SYN (captures start before the session). */
async function detectPort(pcapPath: string): Promise<number> {
  const out = await tshark([
    '-r',
    pcapPath,
    '-Y',
    'tcp.flags.syn == 1 && tcp.flags.ack == 0',
    '-T',
    'fields',
    '-e',
    'tcp.dstport',
  ]);
  const port = Number(out.split('\n')[0]);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`no TCP SYN in ${pcapPath} to tell the BMP port from; pass the port explicitly`);
  }
  return port;
}

function decodeArgs(pcapPath: string, port: number): string[] {
  return [
    '-r',
    pcapPath,
    '-o',
    'gui.max_tree_depth:5000',
    '-o',
    'tcp.reassemble_out_of_order:TRUE',
    '-d',
    `tcp.port==${port},bmp`,
    '-T',
    'json',
    '--no-duplicate-keys',
  ];
}

// ---- walking tshark's JSON ----------------------------------------------------------------

type Node = Record<string, unknown>;

/** --no-duplicate-keys turns repeated keys into arrays; a single occurrence stays a scalar/object. */
function many<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

function num(v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number in tshark output, got ${JSON.stringify(v)}`);
  return n;
}

interface Frame {
  number: number;
  messages: Node[];
}

function frames(json: string): Frame[] {
  const docs = JSON.parse(json) as Array<{ _source: { layers: Node } }>;
  return docs.map((d) => {
    const layers = d._source.layers;
    const frame = layers.frame as Node | undefined;
    return { number: Number(frame?.['frame.number'] ?? Number.NaN), messages: many<Node>(layers.bmp) };
  });
}

// ---- prefixes -----------------------------------------------------------------------------

/** RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
export function canonicalIpv6(text: string): string {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = (tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]).map(
    (g) => Number.parseInt(g || '0', 16),
  );
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

interface Nlri {
  prefix: string;
  pathId: number | null;
}

/** Entries of an NLRI container (`bgp.update.nlri`, `…withdrawn_routes`, `…mp_reach_nlri`), in order. */
function nlriEntries(container: unknown): Nlri[] {
  if (!container || typeof container !== 'object') return [];
  const out: Nlri[] = [];
  for (const value of Object.values(container as Node)) {
    for (const entry of many<Node>(value)) {
      if (typeof entry !== 'object' || entry === null || !('bgp.prefix_length' in entry)) continue;
      const key = Object.keys(entry).find((k) => k.endsWith('_prefix'));
      if (!key) continue;
      const addr = String(entry[key]);
      const len = num(entry['bgp.prefix_length']);
      const pathId = entry['bgp.nlri_path_id'];
      out.push({
        prefix: `${addr.includes(':') ? canonicalIpv6(addr) : addr}/${len}`,
        pathId: pathId === undefined ? null : num(pathId),
      });
    }
  }
  return out;
}

// ---- AS paths -----------------------------------------------------------------------------

export interface Segment {
  type: number; // 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET
  asns: number[];
}

function segments(attr: Node): Segment[] {
  return many<Node>(attr['bgp.update.path_attribute.as_path_segment']).map((s) => ({
    type: num(s['bgp.update.path_attribute.as_path_segment.type']),
    // tshark picks 2- or 4-octet decoding itself; either key can appear.
    asns: many(
      s['bgp.update.path_attribute.as_path_segment.as4'] ??
        s['bgp.update.path_attribute.as_path_segment.as2'],
    ).map(num),
  }));
}

/** RFC 6793 4.2.3 path length: each AS in a sequence counts 1, a set counts 1, confederation segments 0. */
function pathCount(segs: Segment[]): number {
  return segs.reduce((n, s) => n + (s.type === 2 ? s.asns.length : s.type === 1 ? 1 : 0), 0);
}

/**
 * RFC 6793 4.2.3: with AS_TRANS in AS_PATH, keep the leading AS_PATH entries that AS4_PATH does
 * not cover and append AS4_PATH; ignore AS4_PATH if it is longer than AS_PATH.
 */
export function mergeAs4Path(asPath: Segment[], as4Path: Segment[]): Segment[] {
  const n = pathCount(asPath);
  const m = pathCount(as4Path);
  if (as4Path.length === 0 || m > n || !asPath.some((s) => s.asns.includes(23456))) return asPath;
  let keep = n - m;
  const lead: Segment[] = [];
  for (const s of asPath) {
    if (keep === 0) break;
    if (s.type === 2) {
      const take = s.asns.slice(0, keep);
      lead.push({ type: 2, asns: take });
      keep -= take.length;
    } else if (s.type === 1) {
      lead.push(s);
      keep -= 1;
    } else {
      lead.push(s);
    }
  }
  return [...lead, ...as4Path];
}

function pathText(segs: Segment[]): string {
  return segs
    .map((s) => {
      if (s.type === 1) return `{${s.asns.join(',')}}`;
      if (s.type === 3) return `(${s.asns.join(' ')})`;
      if (s.type === 4) return `[${s.asns.join(',')}]`;
      return s.asns.join(' ');
    })
    .filter((t) => t !== '')
    .join(' ');
}

// ---- communities --------------------------------------------------------------------------

const communityText = (v: number): string => `${v >>> 16}:${v & 0xffff}`;

/**
 * Communities of one COMMUNITIES attribute. tshark shows 0:x and 65535:x as `community_wellknown`
 * and the rest as `community`; --no-duplicate-keys groups each kind into its own array, so their
 * relative order is known only when it cannot be ambiguous. Otherwise undefined: the caller reads
 * the attribute's raw bytes from a second tshark pass.
 */
function communitiesFromFields(attr: Node): string[] | undefined {
  const box = attr['bgp.update.path_attribute.communities'] as Node | undefined;
  if (!box) return [];
  const groups: string[][] = [];
  for (const [key, value] of Object.entries(box)) {
    if (key === 'bgp.update.path_attribute.community') {
      groups.push(
        many<Node>(value).map(
          (c) =>
            `${num(c['bgp.update.path_attribute.community_as'])}:${num(c['bgp.update.path_attribute.community_value'])}`,
        ),
      );
    } else if (key === 'bgp.update.path_attribute.community_wellknown') {
      groups.push(many(value).map((v) => communityText(Number.parseInt(String(v), 16))));
    }
  }
  if (groups.length < 2) return groups[0] ?? [];
  // Keys keep first-appearance order, so the first group starts the list; with one element in it,
  // all of the second group follows.
  if (groups[0].length === 1) return [...groups[0], ...groups[1]];
  return undefined;
}

function communitiesFromRaw(attr: Node): string[] {
  const raw = many<unknown>(attr['bgp.update.path_attribute.communities_raw'])[0];
  if (typeof raw !== 'string' || raw.length % 8 !== 0) {
    throw new Error(`no raw COMMUNITIES bytes in tshark -x output: ${JSON.stringify(raw)}`);
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 8) out.push(communityText(Number.parseInt(raw.slice(i, i + 8), 16)));
  return out;
}

// ---- route monitoring ---------------------------------------------------------------------

const PATH_ATTR = 'bgp.update.path_attribute';

function attributes(bgp: Node): Node[] {
  const box = bgp['bgp.update.path_attributes'] as Node | undefined;
  return many<Node>(box?.[PATH_ATTR]);
}

function attrType(a: Node): number {
  return num(a[`${PATH_ATTR}.type_code`]);
}

interface Pending {
  facts: RouteFact[];
  /** Messages whose community order needs the raw bytes: frame number and message index. */
  frame: number;
  index: number;
}

function routeFacts(msg: Node): { facts: RouteFact[]; needRaw: boolean } {
  const ph = msg['bmp.peer.header'] as Node;
  const peerType = num(ph['bmp.peer.type']);
  const flags = num(ph['bmp.peer.flags']);
  const peer = String(ph['bmp.peer.ip.addr'] ?? ph['bmp.peer.ipv6.addr']);
  const peerAsn = num(ph['bmp.peer.asn']);
  const postPolicy = peerType !== 3 && (flags & 0x40) !== 0;
  const bgp = msg.bgp as Node;
  const attrs = attributes(bgp);

  const asPath = attrs.find((a) => attrType(a) === 2);
  const as4Path = attrs.find((a) => attrType(a) === 17);
  const path = pathText(mergeAs4Path(asPath ? segments(asPath) : [], as4Path ? segments(as4Path) : []));
  const commAttr = attrs.find((a) => attrType(a) === 8);
  const community = commAttr ? communitiesFromFields(commAttr) : [];

  const facts: RouteFact[] = [];
  const add = (type: RouteFact['type'], n: Nlri) =>
    facts.push({
      type,
      peer,
      peer_asn: peerAsn,
      post_policy: postPolicy,
      prefix: n.prefix,
      path: type === 'announce' ? path : '',
      community: type === 'announce' ? [...(community ?? [])] : [],
      peer_type: peerType,
      path_id: n.pathId,
    });
  // Wire order: withdrawn routes, then attributes (MP_REACH / MP_UNREACH where they sit), then NLRI.
  for (const n of nlriEntries(bgp['bgp.update.withdrawn_routes'])) add('withdraw', n);
  for (const a of attrs) {
    const t = attrType(a);
    if (t === 14) for (const n of nlriEntries(a[`${PATH_ATTR}.mp_reach_nlri`])) add('announce', n);
    if (t === 15) for (const n of nlriEntries(a[`${PATH_ATTR}.mp_unreach_nlri`])) add('withdraw', n);
  }
  for (const n of nlriEntries(bgp['bgp.update.nlri'])) add('announce', n);
  return { facts, needRaw: community === undefined && facts.some((f) => f.type === 'announce') };
}

/** Second pass, only over frames whose community order was ambiguous: read the attribute bytes (-x). */
async function fillRawCommunities(pcapPath: string, port: number, pending: Pending[]): Promise<void> {
  const wanted = [...new Set(pending.map((p) => p.frame))].sort((a, b) => a - b);
  const json = await tshark([
    ...decodeArgs(pcapPath, port),
    '-x',
    '-J',
    'frame bmp',
    '-Y',
    `frame.number in {${wanted.join(',')}}`,
  ]);
  const byFrame = new Map(frames(json).map((f) => [f.number, f.messages]));
  for (const p of pending) {
    const msg = byFrame.get(p.frame)?.[p.index];
    const attr = msg && attributes(msg.bgp as Node).find((a) => attrType(a) === 8);
    if (!attr) throw new Error(`frame ${p.frame} message ${p.index}: COMMUNITIES missing in the raw pass`);
    const list = communitiesFromRaw(attr);
    for (const f of p.facts) if (f.type === 'announce') f.community = [...list];
  }
}

/** Decodes a pcap of one or more BMP sessions with tshark and returns counts, peers and routes. */
export async function tsharkFacts(pcapPath: string, port?: number): Promise<TsharkFacts> {
  const bmpPort = port ?? (await detectPort(pcapPath));
  const json = await tshark([...decodeArgs(pcapPath, bmpPort), '-J', 'frame bmp', '-Y', 'bmp']);
  const counts = emptyCounts();
  const peers = new Set<string>();
  const routes: RouteFact[] = [];
  const pending: Pending[] = [];
  for (const frame of frames(json)) {
    frame.messages.forEach((msg, index) => {
      const type = BMP_TYPES[num(msg['bmp.type'])];
      if (type === undefined)
        throw new Error(`frame ${frame.number}: unknown BMP type ${String(msg['bmp.type'])}`);
      counts[type]++;
      const ph = msg['bmp.peer.header'] as Node | undefined;
      if (ph && num(ph['bmp.peer.type']) !== 3) {
        peers.add(
          `${String(ph['bmp.peer.ip.addr'] ?? ph['bmp.peer.ipv6.addr'])} AS${num(ph['bmp.peer.asn'])}`,
        );
      }
      if (type !== 'route_monitoring') return;
      const { facts, needRaw } = routeFacts(msg);
      routes.push(...facts);
      if (needRaw) pending.push({ facts, frame: frame.number, index });
    });
  }
  if (pending.length > 0) await fillRawCommunities(pcapPath, bmpPort, pending);
  return { counts, peers: [...peers].sort(), routes };
}
