import { createHash } from 'node:crypto';
import { LabError } from './errors.ts';

/** Names and addresses of one lab's network, all derived from the lab name. */
export interface LabNetwork {
  /** Network namespace GoBGP and ExaBGP run in. */
  netns: string;
  /** veth end in the root namespace, where the collector listens. */
  hostIf: string;
  /** veth end inside the namespace. */
  nsIf: string;
  /** Address of `hostIf`: GoBGP's BMP session goes to this address. */
  hostAddress: string;
  nsAddress: string;
  prefixLength: 30;
  /** GoBGP's BGP listen address inside the namespace (all of 127/8 is on `lo` there). */
  routerAddress: string;
  /** GoBGP's IPv6 listen address, for speakers whose session runs over IPv6 (added to `lo`). */
  routerAddress6: string;
  /** gobgpd gRPC API, reachable only inside the namespace. */
  apiAddress: string;
  apiPort: number;
}

export interface SpeakerSpec {
  /** Short name used in logs, `killSpeaker(name)` and injected routes. */
  name: string;
  asn: number;
  /** Session address inside the namespace: a 127.0.0.x, or an IPv6 address the lab adds to lo. */
  address: string;
  routerId: string;
  /** false: the speaker does not announce the 4-octet AS capability (RFC 6793 "old" speaker). */
  asn4: boolean;
  families: ReadonlyArray<'ipv4' | 'ipv6'>;
  /** Families announced with ADD-PATH path identifiers (GoBGP gets `add-paths receive` for them). */
  addPath: ReadonlyArray<'ipv4' | 'ipv6'>;
  nextHop4: string;
  nextHop6: string;
}

export const ROUTER_ASN = 65001;
export const ROUTER_ID = '192.0.2.3';

/** Speaker A: 4-byte AS with ADD-PATH; speaker B: a 2-byte-only (`asn4 disable`) peer. */
export const DEFAULT_SPEAKERS: readonly SpeakerSpec[] = [
  {
    name: 'A',
    asn: 4200000001,
    address: '127.0.0.11',
    routerId: '192.0.2.11',
    asn4: true,
    families: ['ipv4', 'ipv6'],
    addPath: ['ipv4'],
    nextHop4: '192.0.2.11',
    nextHop6: '2001:db8:ffff::11',
  },
  {
    name: 'B',
    asn: 65012,
    address: '127.0.0.12',
    routerId: '192.0.2.12',
    asn4: false,
    families: ['ipv4', 'ipv6'],
    addPath: [],
    nextHop4: '192.0.2.12',
    nextHop6: '2001:db8:ffff::12',
  },
];

/**
 * Optional speaker C: a BGP session over IPv6, so BMP per-peer headers carry an IPv6 peer address
 * (V flag). Not in the defaults; the fixture capture adds it.
 */
export const IPV6_SPEAKER: SpeakerSpec = {
  name: 'C',
  asn: 65013,
  address: '2001:db8:ffff::13',
  routerId: '192.0.2.13',
  asn4: true,
  families: ['ipv4', 'ipv6'],
  addPath: [],
  nextHop4: '192.0.2.13',
  nextHop6: '2001:db8:ffff::13',
};

/** The router address a speaker's session goes to: same address family as the speaker's own. */
export function routerAddressFor(net: LabNetwork, speaker: SpeakerSpec): string {
  return speaker.address.includes(':') ? net.routerAddress6 : net.routerAddress;
}

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * Interface names are limited to 15 bytes and must not clash between labs, so they carry a short
 * hash of the lab name. The /30 is picked from 10.213.0.0/16 by the same hash, so two labs never
 * put the same subnet on two interfaces of the root namespace (which would break routing to both).
 * The default lab name "bmplab" maps to 10.213.0.0/30 exactly; see lab/README.md.
 */
export function labNetwork(name: string): LabNetwork {
  if (!NAME_RE.test(name)) {
    throw new LabError('LAB_CONFIG', `lab name ${JSON.stringify(name)} must match ${NAME_RE}`);
  }
  const hash = createHash('sha256').update(name).digest();
  const slot = name === 'bmplab' ? 0 : 1 + (hash.readUInt16BE(0) % 16383);
  const base = slot * 4; // 16384 /30s in a /16
  const third = base >> 8;
  const fourth = base & 0xff;
  const tag = hash.toString('hex').slice(0, 6);
  return {
    netns: `bmplab-${name}`,
    hostIf: `bl${tag}h`,
    nsIf: `bl${tag}n`,
    hostAddress: `10.213.${third}.${fourth + 1}`,
    nsAddress: `10.213.${third}.${fourth + 2}`,
    prefixLength: 30,
    routerAddress: '127.0.0.3',
    routerAddress6: '2001:db8:ffff::3',
    apiAddress: '127.0.0.1',
    apiPort: 50051,
  };
}
