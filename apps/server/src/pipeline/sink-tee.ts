/**
 * Feeds several event sinks from one pipeline (the dashboard's hub and the RIS Live hub). The pipeline scans
 * Route Monitoring (the fast path) only while every sink prefers it: one sink that needs attributes for every
 * message makes the pipeline decode in full, and the others then simply get `routes` instead of `scanned`.
 */
import type { PeerDown, PeerUp } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';
import type { Peer, PeerEventJson } from '../state/peers.ts';
import type { RouterEventJson, RouterState } from '../state/routers.ts';
import type { ScannedRoutes } from './events.ts';
import type { EventSink } from './ingest.ts';

export class SinkTee implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}

  get prefersScan(): boolean {
    for (let i = 0; i < this.sinks.length; i++) if (!this.sinks[i].prefersScan) return false;
    return true;
  }

  routes(update: RouteUpdate, router: RouterState, peer: Peer): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].routes(update, router, peer);
  }

  scanned(scanned: ScannedRoutes, router: RouterState, peer: Peer): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].scanned(scanned, router, peer);
  }

  peer(ev: PeerEventJson, bmp: PeerUp | PeerDown | null): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].peer(ev, bmp);
  }

  router(ev: RouterEventJson): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].router(ev);
  }
}
