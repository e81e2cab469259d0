/**
 * Our decoder against an independent one (tshark's BMP dissector) on the real-router lab capture: message
 * counts per type, peers, and every route change (prefix, peer, policy, AS path, communities, path id).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BmpError, decodeStream, type Elem, type PathHop, routeElems } from '../src/index.ts';
import {
  type RouteFact,
  type TsharkFacts,
  tsharkAvailable,
  tsharkFacts,
  walkRawBmp,
} from './support/tshark.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const raw = new Uint8Array(readFileSync(fixture('lab-gobgp.bmp')));

function ours() {
  const counts: Record<string, number> = {};
  const peers = new Set<string>();
  const elems: Elem[] = [];
  const errors: BmpError[] = [];
  for (const item of decodeStream(raw)) {
    const m = item.message;
    if (m instanceof BmpError) {
      errors.push(m);
      continue;
    }
    counts[m.type] = (counts[m.type] ?? 0) + 1;
    if ('peer' in m && m.peer.peerType !== 'loc_rib') peers.add(`${m.peer.address} AS${m.peer.asn}`);
    if (m.type === 'route_monitoring') {
      expect(m.update.encoding.guessed).toBe(false);
      expect(m.update.warnings).toBeNull();
      elems.push(...routeElems(m));
    }
  }
  return { counts, peers: [...peers].sort(), elems, errors };
}

function pathText(path: PathHop[]): string {
  return path.map((h) => (Array.isArray(h) ? `{${h.join(',')}}` : String(h))).join(' ');
}

function elemKey(e: Elem): string {
  const announce = e.type === 'announce';
  return [
    e.type,
    e.peer,
    e.peer_asn,
    e.post_policy,
    e.prefix,
    e.path_id ?? '-',
    announce ? pathText(e.path) : '',
    announce ? e.community.map(([a, v]) => `${a}:${v}`).join(',') : '',
  ].join('|');
}

function factKey(f: RouteFact): string {
  return [
    f.type,
    f.peer,
    f.peer_asn,
    f.post_policy,
    f.prefix,
    f.path_id ?? '-',
    f.path,
    f.community.join(','),
  ].join('|');
}

describe('lab capture (GoBGP + ExaBGP)', () => {
  const mine = ours();

  it('decodes every message without errors', () => {
    expect(mine.errors).toEqual([]);
    const walked = walkRawBmp(raw);
    for (const [type, n] of Object.entries(walked)) expect(mine.counts[type] ?? 0, type).toBe(n);
    expect(mine.elems.length).toBeGreaterThan(1000);
  });

  it('sees IPv4 and IPv6, ADD-PATH ids, AS_SETs and 2-byte peers merged with AS4_PATH', () => {
    expect(mine.elems.some((e) => e.prefix.includes(':'))).toBe(true);
    expect(mine.elems.some((e) => e.path_id !== null)).toBe(true);
    expect(mine.elems.some((e) => e.type === 'announce' && e.path.some(Array.isArray))).toBe(true);
    // Pre-policy messages of the 2-byte peer carry AS_TRANS plus AS4_PATH: merged, no 23456 is left.
    // (GoBGP's post-policy and Loc-RIB copies keep AS_TRANS without AS4_PATH; tshark agrees on those below.)
    const fromB = mine.elems.filter((e) => e.type === 'announce' && e.peer_asn === 65012 && !e.post_policy);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.some((e) => e.type === 'announce' && e.path.includes(23456))).toBe(false);
  });

  describe.skipIf(!tsharkAvailable())('agrees with tshark', () => {
    let facts: TsharkFacts;
    beforeAll(async () => {
      facts = await tsharkFacts(fixture('lab-gobgp.pcap'));
    }, 120_000);

    it('on message counts per type', () => {
      for (const [type, n] of Object.entries(facts.counts)) expect(mine.counts[type] ?? 0, type).toBe(n);
    });

    it('on peers', () => {
      expect(mine.peers).toEqual(facts.peers);
    });

    it('on every route change: prefix, peer, policy, path id, AS path, communities', () => {
      const theirs = facts.routes.map(factKey);
      const our = mine.elems.map(elemKey);
      expect(our.length).toBe(theirs.length);
      // Same order (stream order) and same content.
      let differing = 0;
      for (let i = 0; i < our.length; i++) if (our[i] !== theirs[i]) differing++;
      expect(
        differing,
        `first difference: ${our.find((k, i) => k !== theirs[i])} vs ${theirs.find((k, i) => k !== our[i])}`,
      ).toBe(0);
    });
  });
});
