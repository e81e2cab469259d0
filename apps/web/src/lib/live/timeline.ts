// The peer timeline, and the only writer of $peerTimeline: peer up/down events, newest first and
// capped, seeded on the first snapshot with the peers already down at connect time. Events are
// queued as frames arrive and applied on flush.
import type { Peer, PeerEvent } from '../api-types.ts';
import { $peerTimeline, TIMELINE_CAP, type TimelineEntry } from '../stores.ts';

export class PeerTimeline {
  private seq = 0;
  private pending: PeerEvent[] = [];

  /** Peers already down at connect time get a timeline entry from their `since` and reason. */
  seed(peers: ReadonlyMap<string, Peer>): void {
    const seeded: TimelineEntry[] = [];
    for (const p of peers.values()) {
      if (p.state === 'up') continue;
      seeded.push({
        seq: ++this.seq,
        ts: p.since,
        kind: p.state === 'down' ? 'peer_down' : 'peer_unknown',
        peer: p,
        reason: p.last_down_reason,
        fromSnapshot: true,
      });
    }
    seeded.sort((a, b) => b.ts - a.ts);
    $peerTimeline.set(seeded.slice(0, TIMELINE_CAP));
  }

  /** Queues peer events for the next flush. */
  add(events: readonly PeerEvent[]): void {
    for (const ev of events) this.pending.push(ev);
  }

  flush(): void {
    if (!this.pending.length) return;
    const events = this.pending;
    this.pending = [];
    const entries: TimelineEntry[] = [];
    for (const ev of events) {
      if (!ev.peer?.key) continue;
      entries.push({
        seq: ++this.seq,
        ts: ev.ts,
        kind: ev.kind,
        peer: ev.peer,
        reason: ev.reason,
        fromSnapshot: false,
      });
    }
    entries.reverse();
    $peerTimeline.set([...entries, ...$peerTimeline.get()].slice(0, TIMELINE_CAP));
  }
}
