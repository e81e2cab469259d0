import { beforeEach, describe, expect, it } from 'vitest';
import type { RouteEvent } from '../src/lib/api-types.ts';
import { TopTalkers } from '../src/lib/live/talkers.ts';
import { $talkers } from '../src/lib/stores.ts';

const T0 = 1_700_000_000;
const route = (prefix: string, peer: string, origin: number | null): RouteEvent => ({
  kind: 'announce',
  ts: 0,
  router: 'r1',
  peer,
  peer_asn: 65001,
  prefix,
  origin_asn: origin,
});

describe('top talkers', () => {
  /** The test's clock (ms): publishing once a second and the window's expiry run on it, not on the machine's. */
  let nowMs: number;
  const clock = () => nowMs;
  beforeEach(() => {
    nowMs = T0 * 1000;
  });

  it('ranks prefixes, peers and origins counted on flush', () => {
    const talkers = new TopTalkers(clock);
    talkers.add([
      route('10.0.0.0/8', 'p1', 64500),
      route('10.0.0.0/8', 'p1', 64500),
      route('192.0.2.0/24', 'p2', null),
    ]);
    talkers.flush(T0);
    expect($talkers.get()).toMatchObject({
      windowSec: 300,
      count: 3,
      prefixes: [
        { key: '10.0.0.0/8', count: 2 },
        { key: '192.0.2.0/24', count: 1 },
      ],
      peers: [
        { key: 'r1|p1', count: 2 },
        { key: 'r1|p2', count: 1 },
      ],
      origins: [{ key: '64500', count: 2 }],
    });
  });

  it('publishes at most once a second, but counts every flush', () => {
    const talkers = new TopTalkers(clock);
    talkers.flush(T0);
    const version = $talkers.get().version;
    talkers.add([route('10.0.0.0/8', 'p1', 1)]);
    talkers.flush(T0);
    expect($talkers.get().version).toBe(version);
    nowMs += 1_000;
    talkers.flush(T0 + 1);
    expect($talkers.get()).toMatchObject({ version: version + 1, count: 1 });
  });

  it('forgets what left the window, and recounts when the window changes', () => {
    const talkers = new TopTalkers(clock);
    talkers.add([route('10.0.0.0/8', 'p1', 1)]);
    talkers.flush(T0);
    nowMs = (T0 + 400) * 1000;
    talkers.add([route('192.0.2.0/24', 'p1', 1)]);
    talkers.flush(T0 + 400);
    expect($talkers.get().prefixes).toEqual([{ key: '192.0.2.0/24', count: 1 }]);
    talkers.setWindow(900);
    expect($talkers.get()).toMatchObject({ windowSec: 900, count: 2 });
    const version = $talkers.get().version;
    talkers.setWindow(900);
    expect($talkers.get().version).toBe(version);
  });

  it('restarts empty for a new filter, dropping queued routes', () => {
    const talkers = new TopTalkers(clock);
    talkers.add([route('10.0.0.0/8', 'p1', 1)]);
    talkers.flush(T0);
    talkers.add([route('10.0.0.0/8', 'p1', 1)]);
    talkers.restart();
    expect($talkers.get()).toMatchObject({ count: 0, prefixes: [] });
    nowMs += 1_000;
    talkers.flush(T0 + 1);
    expect($talkers.get().count).toBe(0);
  });
});
