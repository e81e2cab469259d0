import type { PerPeerHeader } from '@bmpwatch/bmp';
import { describe, expect, it } from 'vitest';
import type { OpenFacts, RouterRef } from '../../src/model/events.ts';
import { PeerTable, peerKey } from '../../src/state/peers.ts';
import { RouterTable } from '../../src/state/routers.ts';

const ref: RouterRef = {
  id: '192.0.2.3',
  address: '192.0.2.3',
  source: 'bmp-tcp',
  sourceId: 'bmp-tcp',
  collector: null,
  group: null,
};
const header = (address: string, distinguisher = '0:0'): PerPeerHeader => ({
  peerType: distinguisher === '0:0' ? 'global' : 'rd',
  peerTypeCode: distinguisher === '0:0' ? 0 : 1,
  flags: 0,
  ipv6: false,
  postPolicy: false,
  legacyAsPath: false,
  adjRibOut: false,
  filtered: false,
  distinguisher,
  address,
  asn: 65001,
  bgpId: '192.0.2.99',
  timestamp: 0,
});
const open = {} as OpenFacts;

describe('routers and peers', () => {
  it('keys peers by router and address, with the distinguisher for RD peers', () => {
    expect(peerKey('r', header('192.0.2.1'))).toBe('r|192.0.2.1');
    expect(peerKey('r', header('192.0.2.1', '65000:7'))).toBe('r|192.0.2.1|65000:7');
  });

  it('tracks up/down/unknown with since, flaps and the last down reason', () => {
    const routers = new RouterTable();
    const peers = new PeerTable();
    const first = routers.touch(ref, 10);
    expect(first.event).toMatchObject({ kind: 'router_up', reason: 'first message' });
    const r = first.router;
    expect(routers.touch(ref, 11).event).toBeNull();

    // A peer first seen through Route Monitoring is taken as up and announced.
    const seen = peers.touch(r, header('192.0.2.1'), 12);
    expect(seen.event).toMatchObject({
      kind: 'peer_up',
      reason: 'first seen',
      peer: { state: 'up', since: 12 },
    });
    expect(r.peerCount).toBe(1);

    expect(peers.up(r, header('192.0.2.1'), 13, open)).toMatchObject({
      kind: 'peer_up',
      peer: { since: 13, flaps: 0 },
    });
    expect(
      peers.down(r, header('192.0.2.1'), 20, 'remote_notification: cease/administrative_shutdown'),
    ).toMatchObject({
      kind: 'peer_down',
      peer: {
        state: 'down',
        since: 20,
        flaps: 1,
        last_down_reason: 'remote_notification: cease/administrative_shutdown',
      },
    });
    // Down again (duplicate Peer Down) is no new flap; a Peer Down for a never-seen peer is none either.
    expect(peers.down(r, header('192.0.2.1'), 21, 'x').peer.flaps).toBe(1);
    expect(peers.down(r, header('192.0.2.2'), 21, 'x').peer.flaps).toBe(0);

    peers.up(r, header('192.0.2.1'), 30, open);
    const gone = routers.down(ref.id, 40, 'connection closed');
    expect(gone).toMatchObject({ kind: 'router_down', router: { state: 'down', since: 40, peers: 2 } });
    expect(routers.down(ref.id, 41, 'again')).toBeNull();
    const unknown = peers.unknownForRouter(ref.id, 40, 'router down');
    expect(unknown.map((e) => [e.kind, e.peer.address, e.peer.state])).toEqual([
      ['peer_unknown', '192.0.2.1', 'unknown'],
      ['peer_unknown', '192.0.2.2', 'unknown'],
    ]);
    // Messages about an unknown peer show it is up again.
    expect(peers.touch(r, header('192.0.2.1'), 50).event).toMatchObject({
      kind: 'peer_up',
      peer: { state: 'up' },
    });
    expect(routers.up(ref, 50, 'initiation', 'r1', 'descr')).toMatchObject({
      router: { state: 'up', name: 'r1', descr: 'descr' },
    });
  });
});
