/** Live state of the monitored routers (BMP speakers), keyed by router id. */

// The JSON shapes are the API's (@bmpwatch/api), shared with the dashboard.
import type { RouterEventJson, RouterJson, RouterStateName } from '@bmpwatch/api';
import type { RouterRef } from '../model/events.ts';
import { RateSeries } from './rates.ts';

export type { RouterEventJson, RouterJson, RouterStateName };

export class RouterState {
  name: string | null = null;
  descr: string | null = null;
  state: RouterStateName = 'up';
  since: number;
  /** Peers known for this router (kept by the peer table). */
  peerCount = 0;
  readonly rates = new RateSeries();
  ref: RouterRef;

  constructor(ref: RouterRef, now: number) {
    this.ref = ref;
    this.since = now;
  }

  get id(): string {
    return this.ref.id;
  }

  toJSON(): RouterJson {
    return {
      id: this.ref.id,
      address: this.ref.address,
      name: this.name,
      descr: this.descr,
      source: this.ref.source,
      state: this.state,
      since: this.since,
      peers: this.peerCount,
      collector: this.ref.collector,
      group: this.ref.group,
    };
  }
}

export class RouterTable {
  private readonly byId = new Map<string, RouterState>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RouterState | undefined {
    return this.byId.get(id);
  }

  list(): RouterState[] {
    return [...this.byId.values()];
  }

  /**
   * The router's state, created (up) on first sight. Returns the event to announce when it was created or came
   * back up: a router is "up" as soon as it sends anything (an OpenBMP stream joined mid-way has no Initiation).
   */
  touch(ref: RouterRef, now: number): { router: RouterState; event: RouterEventJson | null } {
    let r = this.byId.get(ref.id);
    if (r === undefined) {
      r = new RouterState(ref, now);
      this.byId.set(ref.id, r);
      return { router: r, event: routerEvent('router_up', now, r, 'first message') };
    }
    r.ref = ref;
    if (r.state === 'down') {
      r.state = 'up';
      r.since = now;
      return { router: r, event: routerEvent('router_up', now, r, 'messages again') };
    }
    return { router: r, event: null };
  }

  /** Marks a router up (Initiation, TCP connect), taking its name and description when given. */
  up(
    ref: RouterRef,
    now: number,
    reason: string,
    name?: string | null,
    descr?: string | null,
  ): RouterEventJson {
    const { router } = this.touch(ref, now);
    if (router.state !== 'up') {
      router.state = 'up';
      router.since = now;
    }
    if (name != null) router.name = name;
    if (descr != null) router.descr = descr;
    return routerEvent('router_up', now, router, reason);
  }

  /** Marks a router down; null if unknown or already down. */
  down(id: string, now: number, reason: string): RouterEventJson | null {
    const r = this.byId.get(id);
    if (r === undefined || r.state === 'down') return null;
    r.state = 'down';
    r.since = now;
    return routerEvent('router_down', now, r, reason);
  }
}

export function routerEvent(
  kind: RouterEventJson['kind'],
  ts: number,
  r: RouterState,
  reason: string | null,
): RouterEventJson {
  return { kind, ts, router: r.toJSON(), reason };
}
