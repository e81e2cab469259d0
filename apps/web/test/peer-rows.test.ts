import { describe, expect, it } from 'vitest';
import type { Peer, Router } from '../src/lib/api-types.ts';
import { buildPeerRows } from '../src/lib/peer-rows.ts';
import { peerJson, routerJson } from './support/fixtures.ts';

const router = (id: string, name: string): Router => routerJson({ id, name });
const peer = (r: string, address: string, asn: number, state: Peer['state'], since = 0): Peer =>
  peerJson({
    key: `${r}|${address}`,
    router: r,
    address,
    asn,
    bgp_id: address,
    state,
    since,
    last_down_reason: state === 'down' ? 'remote_notification: cease/administrative_shutdown' : null,
  });

const routers = new Map([
  ['10.0.0.2', router('10.0.0.2', 'r2')],
  ['10.0.0.1', router('10.0.0.1', 'r1')],
]);
const peers = [
  peer('10.0.0.1', '192.0.2.10', 65010, 'up', 5),
  peer('10.0.0.1', '192.0.2.9', 65009, 'down', 7),
  peer('10.0.0.2', '192.0.2.20', 65020, 'up', 1),
];

describe('buildPeerRows', () => {
  it('groups peers under routers by name and sorts within groups', () => {
    const rows = buildPeerRows(peers, routers, { key: 'address', dir: 'asc' }, '');
    expect(rows.map((r) => r.key)).toEqual([
      'router:10.0.0.1',
      '10.0.0.1|192.0.2.9',
      '10.0.0.1|192.0.2.10',
      'router:10.0.0.2',
      '10.0.0.2|192.0.2.20',
    ]);
    const byState = buildPeerRows(peers, routers, { key: 'state', dir: 'asc' }, '');
    expect(byState[1]).toMatchObject({ kind: 'peer', peer: { state: 'down' } });
    const desc = buildPeerRows(peers, routers, { key: 'since', dir: 'desc' }, '');
    expect(desc[1]).toMatchObject({ peer: { since: 7 } });
  });

  it('searches address, ASN, router name and reason', () => {
    const keys = (q: string) =>
      buildPeerRows(peers, routers, { key: 'address', dir: 'asc' }, q).map((r) => r.key);
    expect(keys('AS65020')).toEqual(['router:10.0.0.2', '10.0.0.2|192.0.2.20']);
    expect(keys('shutdown')).toEqual(['router:10.0.0.1', '10.0.0.1|192.0.2.9']);
    expect(keys('r1 up')).toEqual(['router:10.0.0.1', '10.0.0.1|192.0.2.10']);
    expect(keys('nothing-like-this')).toEqual([]);
  });

  it('lists a router without peers and a peer whose router is unknown', () => {
    const rows = buildPeerRows(
      [peer('10.9.9.9', '192.0.2.1', 1, 'up')],
      routers,
      { key: 'asn', dir: 'asc' },
      '',
    );
    // Routers sort by name; an unknown router's id stands in for its name.
    expect(rows.map((r) => r.key)).toEqual([
      'router:10.9.9.9',
      '10.9.9.9|192.0.2.1',
      'router:10.0.0.1',
      'router:10.0.0.2',
    ]);
  });
});
