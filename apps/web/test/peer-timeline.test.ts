import { describe, expect, it } from 'vitest';
import type { Peer, PeerEvent } from '../src/lib/api-types.ts';
import { PeerTimeline } from '../src/lib/live/timeline.ts';
import { $peerTimeline, TIMELINE_CAP } from '../src/lib/stores.ts';
import { peerJson } from './support/fixtures.ts';

const peer = (key: string, state: Peer['state'], since: number): Peer =>
  peerJson({ key, state, since, last_down_reason: state === 'up' ? null : 'hold timer expired' });
const event = (key: string, kind: PeerEvent['kind'], ts: number): PeerEvent => ({
  kind,
  ts,
  peer: peer(key, kind === 'peer_up' ? 'up' : 'down', ts),
  reason: null,
});

describe('peer timeline', () => {
  it('seeds the peers not up at connect time, newest first', () => {
    const timeline = new PeerTimeline();
    const peers = [peer('a', 'up', 1), peer('b', 'down', 5), peer('c', 'unknown', 9)];
    timeline.seed(new Map(peers.map((p) => [p.key, p])));
    expect($peerTimeline.get().map((e) => [e.peer.key, e.kind, e.ts, e.fromSnapshot])).toEqual([
      ['c', 'peer_unknown', 9, true],
      ['b', 'peer_down', 5, true],
    ]);
    expect($peerTimeline.get()[1].reason).toBe('hold timer expired');
  });

  it('puts events applied on flush in front, newest first, skipping those without a peer key', () => {
    const timeline = new PeerTimeline();
    timeline.seed(new Map([['b', peer('b', 'down', 5)]]));
    timeline.add([event('a', 'peer_down', 10), event('a', 'peer_up', 11)]);
    timeline.add([{ ...event('x', 'peer_up', 12), peer: { ...peer('', 'up', 12) } }]);
    expect($peerTimeline.get()).toHaveLength(1);
    timeline.flush();
    const entries = $peerTimeline.get();
    expect(entries.map((e) => [e.peer.key, e.kind, e.fromSnapshot])).toEqual([
      ['a', 'peer_up', false],
      ['a', 'peer_down', false],
      ['b', 'peer_down', true],
    ]);
    expect(entries.map((e) => e.seq)).toEqual([3, 2, 1]);
  });

  it('is capped', () => {
    const timeline = new PeerTimeline();
    timeline.seed(new Map());
    timeline.add(Array.from({ length: TIMELINE_CAP + 10 }, (_, i) => event(`p${i}`, 'peer_down', i)));
    timeline.flush();
    expect($peerTimeline.get()).toHaveLength(TIMELINE_CAP);
    expect($peerTimeline.get()[0].peer.key).toBe(`p${TIMELINE_CAP + 9}`);
  });
});
