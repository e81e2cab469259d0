/** The demo source: drives the synthetic feed (demo-feed.ts) from a 100 ms timer, as if its routers were connected. */

import { DemoFeed, type DemoOptions } from '@bmpwatch/demo-feed';
import type { SourceStatus } from '../model/source-status.ts';
import { type RouterConnection, routerConnection } from '../pipeline/decode.ts';
import type { Ingest } from '../pipeline/ingest.ts';
import type { Source } from './source.ts';

const STEP_MS = 100;

export class DemoSource implements Source {
  readonly id = 'demo';
  readonly kind = 'demo' as const;
  private readonly feed: DemoFeed;
  private readonly conns = new Map<string, RouterConnection>();
  private timer: NodeJS.Timeout | null = null;
  private ingest: Ingest | null = null;

  constructor(private readonly opts: DemoOptions) {
    this.feed = new DemoFeed(opts);
  }

  async start(ingest: Ingest): Promise<void> {
    this.ingest = ingest;
    for (const r of this.feed.routers) {
      const conn = routerConnection('demo', this.id, r.id, r.id);
      this.conns.set(r.id, conn);
      ingest.connected(conn, 'demo feed started');
    }
    this.step();
    this.timer = setInterval(() => this.step(), STEP_MS);
  }

  async stop(): Promise<void> {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    const ingest = this.ingest!;
    for (const m of this.feed.terminate()) ingest.bmp(this.conns.get(m.router)!, m.bytes);
    for (const conn of this.conns.values()) ingest.disconnected(conn, 'demo feed stopped');
  }

  status(): SourceStatus {
    const o = this.opts;
    return {
      status: 'ok',
      detail: `${o.routers} routers × ${o.peers} peers, ${o.prefixes} routes per peer, ${o.rate} updates/s`,
    };
  }

  private step(): void {
    const ingest = this.ingest!;
    for (const m of this.feed.step(Date.now())) ingest.bmp(this.conns.get(m.router)!, m.bytes);
  }
}
