// The route subscription on the link: sends the applied filter after each hello and on each filter
// change, tracks whether the server has confirmed it yet (route events are held back until then,
// or until a timeout), re-checks route events against the filter on the client, and is the only
// writer of $serverError (the server's last error frame, e.g. a filter it refused).
import type { ErrorFrame, RouteEvent } from '../api-types.ts';
import { isEmptyFilter, toApiFilter, wantsRoutes } from '../filter.ts';
import { compileMatcher, type RouteMatcher } from '../route-match.ts';
import { $filter, $routers, $serverError } from '../stores.ts';

/** If the server never confirms a subscription, accept route events after this long anyway. */
export const SUBSCRIBE_TIMEOUT_MS = 3_000;

export class Subscription {
  private counter = 0;
  private awaiting: string | null = null;
  private awaitingSince = 0;
  /** Client-side re-check of route events (null: no filter); see route-match.ts. */
  private matcher: RouteMatcher | null = null;
  private readonly send: (msg: unknown) => void;

  /** `clock` in ms: the wait for the server's confirmation is timed on it (tests give their own). */
  constructor(
    send: (msg: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.send = send;
  }

  /** Waiting for the server to confirm the latest subscription. */
  get pending(): boolean {
    return this.awaiting !== null;
  }

  /** Compiles the client-side matcher from the applied filter. */
  compile(): void {
    const f = $filter.get();
    this.matcher = isEmptyFilter(f)
      ? null
      : compileMatcher(f, (id) => {
          const r = $routers.get().get(id);
          return r === undefined ? [] : [r.name, r.group];
        });
  }

  /** Subscribes with the applied filter; route events are held back until the server confirms. */
  subscribe(): void {
    const filter = $filter.get();
    const id = `f${++this.counter}`;
    this.awaiting = id;
    this.awaitingSince = this.clock();
    if (wantsRoutes(filter) || filter.kinds.length > 0)
      this.send({ type: 'subscribe', id, filter: toApiFilter(filter) });
  }

  /** The filter changed: recompile, forget the last error, and resubscribe if the link is open. */
  refilter(open: boolean): void {
    this.compile();
    $serverError.set(null);
    if (open) this.subscribe();
  }

  /** A `subscribed` frame; true if it confirmed the subscription being waited for. */
  confirm(id: string | undefined): boolean {
    if (id !== this.awaiting) return false;
    this.awaiting = null;
    return true;
  }

  onError(frame: ErrorFrame): void {
    if (frame.id !== undefined && frame.id === this.awaiting) this.awaiting = null;
    $serverError.set(frame);
  }

  /** The link went down: a subscription still unconfirmed will never be. */
  onDown(): void {
    this.awaiting = null;
  }

  /** Gives up waiting after SUBSCRIBE_TIMEOUT_MS; true if it just did. */
  expire(nowMs: number): boolean {
    if (!this.awaiting || nowMs - this.awaitingSince <= SUBSCRIBE_TIMEOUT_MS) return false;
    this.awaiting = null;
    return true;
  }

  /** The route events to keep: none while waiting, else those matching the filter. */
  admit(routes: readonly RouteEvent[]): readonly RouteEvent[] {
    if (this.awaiting) return [];
    // Events already on their way under a previous filter can follow the confirmation: re-check.
    const match = this.matcher;
    return match ? routes.filter((r) => match(r)) : routes;
  }
}
