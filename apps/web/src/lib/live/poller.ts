// The HTTP poller: every 10 s (and on demand) it reads /api/peers, /api/routers and /api/health
// and hands what it got to the network state, which owns the stores. It refreshes what the socket
// does not push (Adj-RIB-In sizes and counters, source status), so it only runs while the link is
// live and the tab is visible.
import { fetchPeers, fetchRouters, fetchSources } from '../api.ts';
import { $connection } from '../stores.ts';
import type { NetworkState } from './network.ts';

const POLL_MS = 10_000;

export class Poller {
  private stopped = true;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly network: NetworkState;

  constructor(network: NetworkState) {
    this.network = network;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One refresh of peers (counters, Adj-RIB-In), routers and sources; only while visible and live. */
  async poll(): Promise<void> {
    if (
      this.stopped ||
      (typeof document !== 'undefined' && document.hidden) ||
      $connection.get().state !== 'live'
    ) {
      return;
    }
    const [peers, routers, sources] = await Promise.allSettled([
      fetchPeers(),
      fetchRouters(),
      fetchSources(),
    ]);
    if (peers.status === 'fulfilled' && peers.value) this.network.applyPolledPeers(peers.value);
    if (routers.status === 'fulfilled' && routers.value) this.network.applyPolledRouters(routers.value);
    if (sources.status === 'fulfilled' && sources.value) this.network.applyPolledSources(sources.value);
  }
}
