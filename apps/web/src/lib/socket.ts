// The dashboard's live data, wired together: the one WebSocket (live/transport.ts) hands its
// frames to the store modules under live/, each the only writer of its own stores, whose writes are
// batched per animation frame by live/scheduler.ts; HTTP polls (live/poller.ts) refresh what the
// socket does not push. This module only routes frames and keeps the functions components call.
import type { HelloFrame, ServerFrame } from './api-types.ts';
import { LiveFeed } from './live/feed.ts';
import { NetworkState } from './live/network.ts';
import { Poller } from './live/poller.ts';
import { RatesTracker } from './live/rates.ts';
import { FlushScheduler } from './live/scheduler.ts';
import { Subscription } from './live/subscription.ts';
import { TopTalkers } from './live/talkers.ts';
import { PeerTimeline } from './live/timeline.ts';
import { Transport } from './live/transport.ts';
import { $filter, $loaded, $peers, $view } from './stores.ts';

const emptySnapshot = (): HelloFrame['snapshot'] => ({
  routers: [],
  peers: [],
  sources: [],
  rates: { interval_s: 1, series: [] },
});

const transport = new Transport({
  onFrame: (frame) => onFrame(frame),
  onDown: () => subscription.onDown(),
  onTick: (nowMs) => {
    if (subscription.expire(nowMs)) feed.publish();
  },
});
const subscription = new Subscription((msg) => transport.send(msg));
const feed = new LiveFeed(() => subscription.pending);
const talkers = new TopTalkers();
const timeline = new PeerTimeline();
const rates = new RatesTracker();
const network = new NetworkState(() => void poller.poll());
const poller = new Poller(network);
const scheduler = new FlushScheduler();
scheduler.register(
  () => feed.flush(),
  () => network.flush(),
  () => timeline.flush(),
  () => rates.flush(),
  (now) => talkers.flush(now),
);

function onFrame(frame: ServerFrame): void {
  switch (frame.type) {
    case 'hello':
      onHello(frame);
      break;
    case 'subscribed':
      if (subscription.confirm(frame.id)) scheduler.request();
      break;
    case 'batch':
      if (frame.routes?.length) {
        const routes = subscription.admit(frame.routes);
        feed.add(routes);
        talkers.add(routes);
      }
      if (frame.peers?.length) {
        network.addPeerEvents(frame.peers);
        timeline.add(frame.peers);
      }
      if (frame.routers?.length) network.addRouterEvents(frame.routers);
      scheduler.request();
      break;
    case 'rates':
      rates.add(frame);
      scheduler.request();
      break;
    case 'dropped':
      feed.addDropped(frame.count);
      scheduler.request();
      break;
    case 'error':
      subscription.onError(frame);
      scheduler.request();
      break;
    default:
      break;
  }
}

/** Each hello (every reconnect) replaces the state with its snapshot, then resubscribes. */
function onHello(frame: HelloFrame): void {
  const snap = frame.snapshot ?? emptySnapshot();
  network.applySnapshot(snap);
  if (!$loaded.get()) timeline.seed($peers.get());
  rates.applySnapshot(snap.rates);
  network.markLoaded();
  subscription.subscribe();
}

function onFilterChanged(): void {
  subscription.refilter(transport.open);
  feed.restart();
  talkers.restart();
}

const onVisibility = () => {
  if (!document.hidden) {
    scheduler.request();
    void poller.poll();
  }
};

let running = false;
const unsubs: (() => void)[] = [];

/** Opens the connection (once, for the page's lifetime); it reconnects by itself. */
export function startSocket(): void {
  if (running) return;
  running = true;
  subscription.compile();
  unsubs.push(
    $filter.listen(onFilterChanged),
    $view.subscribe((v) => talkers.setWindow(v.windowMin * 60)),
  );
  document.addEventListener('visibilitychange', onVisibility);
  transport.start();
  poller.start();
}

/** Skips the backoff wait and tries to connect now. */
export function retryNow(): void {
  transport.retryNow();
}

/** Freezes (or resumes) the live feed's list; events keep being received and counted. */
export function setFeedPaused(paused: boolean): void {
  feed.setPaused(paused);
}
