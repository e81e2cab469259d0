import { describe, expect, it } from 'vitest';
import type { RouteEvent } from '../src/lib/api-types.ts';
import { LiveFeed } from '../src/lib/live/feed.ts';
import { $feed } from '../src/lib/stores.ts';

const route = (prefix: string): RouteEvent => ({
  kind: 'announce',
  ts: 0,
  router: '192.0.2.1',
  peer: '192.0.2.11',
  peer_asn: 65001,
  prefix,
  origin_asn: 64500,
});
const routes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => route(`10.0.${from + i}.0/24`));
const shown = () => {
  const { view } = $feed.get();
  return Array.from({ length: view.size }, (_, i) => view.newest(i)?.prefix);
};

describe('live feed', () => {
  it('applies queued routes on flush only, newest first, numbered', () => {
    const feed = new LiveFeed(() => false);
    feed.publish();
    feed.add(routes(3));
    expect($feed.get().view.size).toBe(0);
    feed.flush();
    expect(shown()).toEqual(['10.0.2.0/24', '10.0.1.0/24', '10.0.0.0/24']);
    expect($feed.get().view.newest(0)?.seq).toBe(3);
    expect($feed.get().received).toBe(3);
  });

  it('keeps only the newest rows up to capacity', () => {
    const feed = new LiveFeed(() => false, 4);
    feed.add(routes(3));
    feed.flush();
    feed.add(routes(3, 3));
    feed.flush();
    expect(shown()).toEqual(['10.0.5.0/24', '10.0.4.0/24', '10.0.3.0/24', '10.0.2.0/24']);
    expect($feed.get().received).toBe(6);
  });

  it('freezes the list while paused but keeps counting', () => {
    const feed = new LiveFeed(() => false);
    feed.add(routes(2));
    feed.flush();
    feed.setPaused(true);
    expect($feed.get().paused).toBe(true);
    feed.add(routes(3, 2));
    feed.flush();
    expect(shown()).toEqual(['10.0.1.0/24', '10.0.0.0/24']);
    expect($feed.get()).toMatchObject({ sincePause: 3, received: 5 });
    feed.setPaused(false);
    expect($feed.get()).toMatchObject({ paused: false, sincePause: 0 });
    expect(shown()).toHaveLength(5);
  });

  it('does not republish when pausing twice', () => {
    const feed = new LiveFeed(() => false);
    feed.setPaused(true);
    const version = $feed.get().version;
    feed.setPaused(true);
    expect($feed.get().version).toBe(version);
    feed.setPaused(false);
  });

  it('counts dropped events and publishes only on change', () => {
    const feed = new LiveFeed(() => false);
    feed.publish();
    const version = $feed.get().version;
    feed.flush();
    expect($feed.get().version).toBe(version);
    feed.addDropped(5);
    feed.addDropped(2);
    feed.flush();
    expect($feed.get().dropped).toBe(7);
  });

  it('republishes when the pending state changed', () => {
    let pending = false;
    const feed = new LiveFeed(() => pending);
    feed.publish();
    pending = true;
    feed.flush();
    expect($feed.get().pending).toBe(true);
  });

  it('restarts empty and live for a new filter, dropping queued routes', () => {
    const feed = new LiveFeed(() => false);
    feed.add(routes(2));
    feed.addDropped(1);
    feed.flush();
    feed.setPaused(true);
    feed.add(routes(2, 2));
    feed.restart();
    expect($feed.get()).toMatchObject({ paused: false, received: 0, dropped: 0, sincePause: 0 });
    expect(shown()).toEqual([]);
    feed.flush();
    expect(shown()).toEqual([]);
  });
});
