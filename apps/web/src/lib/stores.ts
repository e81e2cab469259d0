// Every store of the dashboard. Live data is written only by the modules under lib/live/ (each the
// only writer of its own stores, fed by the one connection wired up in lib/socket.ts); the filter and
// view settings only by lib/url-state.ts (the URL is their source of truth).
// Components read with useStore().
import { atom } from 'nanostores';
import type { AW, ErrorFrame, Peer, PeerEvent, RouteEvent, Router, Source } from './api-types.ts';
import { type Draft, type DraftErrors, EMPTY_FILTER, type Filter, filterToDraft } from './filter.ts';
import { RateSeries, RateSeriesMap } from './rate-series.ts';
import type { TopEntry } from './window-counter.ts';

export type ConnState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface Connection {
  state: ConnState;
  /** Failed attempts since the last successful connection. */
  attempt: number;
  /** When the next attempt starts (ms since epoch), while waiting. */
  retryAt: number | null;
  lastError: string | null;
  server: { name: string; version: string } | null;
}

/** The WebSocket's state: live, reconnecting (with backoff) or offline. */
export const $connection = atom<Connection>({
  state: 'connecting',
  attempt: 0,
  retryAt: null,
  lastError: null,
  server: null,
});

/** True once the first hello (snapshot) has arrived. */
export const $loaded = atom(false);

/** Kafka topics, BMP listeners, demo/replay feeds with their status. */
export const $sources = atom<Source[]>([]);

/** Routers by id. */
export const $routers = atom<ReadonlyMap<string, Router>>(new Map());

/** Peers by key (router|address). */
export const $peers = atom<ReadonlyMap<string, Peer>>(new Map());

export interface TimelineEntry {
  seq: number;
  ts: number;
  kind: PeerEvent['kind'];
  peer: Peer;
  reason: string | null;
  /** Reconstructed from the snapshot (state at connect), not seen live. */
  fromSnapshot: boolean;
}

/** Peer up/down events, newest first (capped). */
export const $peerTimeline = atom<TimelineEntry[]>([]);
export const TIMELINE_CAP = 500;

/**
 * Per-second rate history: written in place by lib/live/rates.ts (typed arrays, capped at 15 minutes);
 * $rates.version changes whenever it did.
 */
export const rateHistory = {
  global: new RateSeries(900),
  routers: new RateSeriesMap(500, 900),
  peers: new RateSeriesMap(5_000, 900),
};

export interface RatesState {
  version: number;
  /** Server time of the last tick (seconds). */
  t: number;
  global: AW;
  ingest: { messages: number; bytes: number } | null;
}

/** The latest rate tick (about once a second). */
export const $rates = atom<RatesState>({ version: 0, t: 0, global: { a: 0, w: 0 }, ingest: null });

export type FeedRow = RouteEvent & { seq: number };

export interface FeedView {
  readonly size: number;
  newest(i: number): FeedRow | undefined;
}

export interface FeedState {
  version: number;
  /** What the list shows (frozen copy while paused). */
  view: FeedView;
  paused: boolean;
  /** Route events received since pausing. */
  sincePause: number;
  /** Route events the server dropped for this client (slow client notices). */
  dropped: number;
  /** Route events received since the filter was last set. */
  received: number;
  /** Waiting for the server to confirm a new filter. */
  pending: boolean;
}

export const FEED_CAP = 5_000;
const EMPTY_VIEW: FeedView = { size: 0, newest: () => undefined };

/** The live feed of matching route changes (capped, newest first). */
export const $feed = atom<FeedState>({
  version: 0,
  view: EMPTY_VIEW,
  paused: false,
  sincePause: 0,
  dropped: 0,
  received: 0,
  pending: false,
});

export interface TalkersState {
  version: number;
  windowSec: number;
  prefixes: TopEntry[];
  peers: TopEntry[];
  origins: TopEntry[];
  /** Route events counted in the window. */
  count: number;
}

/** Busiest prefixes, peers and origin ASNs among the matching route events in the window. */
export const $talkers = atom<TalkersState>({
  version: 0,
  windowSec: 300,
  prefixes: [],
  peers: [],
  origins: [],
  count: 0,
});

/** The last error frame from the server (e.g. a filter it refused). */
export const $serverError = atom<ErrorFrame | null>(null);

/** The applied filter (from the URL). */
export const $filter = atom<Filter>(EMPTY_FILTER);

/** What the filter bar should show, with errors for URL values that did not validate. */
export const $filterDraft = atom<{ draft: Draft; errors: DraftErrors; version: number }>({
  draft: filterToDraft(EMPTY_FILTER),
  errors: {},
  version: 0,
});

export type ChartTarget = { kind: 'global' } | { kind: 'router'; id: string } | { kind: 'peer'; key: string };

export interface ViewState {
  /** Rate chart and top talkers window, in minutes. */
  windowMin: 5 | 15;
  chart: ChartTarget;
}

/** View settings kept in the URL next to the filter. */
export const $view = atom<ViewState>({ windowMin: 5, chart: { kind: 'global' } });
