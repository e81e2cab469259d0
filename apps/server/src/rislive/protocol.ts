/**
 * RIS Live client frames (`{"type": …, "data": …}`, docs/rislive.md): parsing and validation into
 * subscriptions, and the small server frames. Pure functions; the socket side is in route.ts and hub.ts.
 */

import { canonicalAddress, canonicalPrefix } from '../prefix/canonical.ts';
import { nestsDeeperThan } from '../ws/json-depth.ts';
import { typeName } from '../ws/json-values.ts';
import { MAX_CLIENT_FRAME_DEPTH } from '../ws/limits.ts';
import { type PathPattern, parsePathPattern } from './path-pattern.ts';

export const RIS_TYPES = ['UPDATE', 'OPEN', 'NOTIFICATION', 'KEEPALIVE', 'RIS_PEER_STATE'] as const;
export type RisType = (typeof RIS_TYPES)[number];
export type RisRequire = 'announcements' | 'withdrawals';

/** Subscriptions one socket may hold (each prefix of a list counts as one, as in RIS Live). */
export const MAX_SUBSCRIPTIONS = 10_000;
/** Longest `host` / `peer` strings read (anything longer cannot name a router or an address). */
const MAX_NAME_CHARS = 255;

/**
 * One validated subscription, with a single prefix at most (a prefix list becomes one subscription per
 * prefix, each of which `ris_unsubscribe` can end on its own). Absent fields match everything.
 */
export interface RisSubscription {
  /** Canonical form; equal keys are the same subscription (subscribing twice keeps one). */
  readonly key: string;
  readonly host: string | null;
  readonly type: RisType | null;
  readonly require: RisRequire | null;
  /** Canonical peer address. */
  readonly peer: string | null;
  readonly path: PathPattern | null;
  /** Canonical prefix. */
  readonly prefix: string | null;
  readonly moreSpecific: boolean;
  readonly lessSpecific: boolean;
}

export interface SocketOptions {
  includeRaw: boolean;
  acknowledge: boolean;
}

export type RisClientFrame =
  | {
      type: 'ris_subscribe';
      subscriptions: RisSubscription[];
      /** The subscription as the client should see it echoed in `ris_subscribe_ok`. */
      echo: Record<string, unknown>;
      /** Options given in this frame; they replace the socket's (RIS Live: the last one given wins). */
      socketOptions: Partial<SocketOptions> | null;
    }
  | { type: 'ris_unsubscribe'; subscriptions: RisSubscription[] }
  | { type: 'request_rrc_list' }
  | { type: 'ping' }
  | { type: 'error'; message: string };

const FIELDS = new Set([
  'host',
  'type',
  'require',
  'peer',
  'path',
  'prefix',
  'moreSpecific',
  'lessSpecific',
  'socketOptions',
]);

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}

function optionalString(data: Record<string, unknown>, field: string): Parsed<string | null> {
  const v = data[field];
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v !== 'string' || v.length > MAX_NAME_CHARS || v.trim() === '')
    return fail(`${field}: expected a non-empty string, got ${typeName(v)}`);
  return { ok: true, value: v.trim() };
}

function optionalBool(data: Record<string, unknown>, field: string, dflt: boolean): Parsed<boolean> {
  const v = data[field];
  if (v === undefined || v === null) return { ok: true, value: dflt };
  if (typeof v !== 'boolean') return fail(`${field}: expected true or false, got ${typeName(v)}`);
  return { ok: true, value: v };
}

function parseSocketOptions(v: unknown): Parsed<Partial<SocketOptions> | null> {
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v !== 'object' || Array.isArray(v))
    return fail(`socketOptions: expected an object, got ${typeName(v)}`);
  const o = v as Record<string, unknown>;
  const out: Partial<SocketOptions> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k !== 'includeRaw' && k !== 'acknowledge')
      return fail(`socketOptions: unknown option ${JSON.stringify(k)}`);
    if (typeof x !== 'boolean') return fail(`socketOptions.${k}: expected true or false, got ${typeName(x)}`);
    out[k] = x;
  }
  return { ok: true, value: out };
}

function parsePrefixes(v: unknown): Parsed<(string | null)[]> {
  if (v === undefined || v === null) return { ok: true, value: [null] };
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0)
    return fail(`prefix: expected a prefix or a non-empty array of prefixes, got ${typeName(v)}`);
  if (list.length > MAX_SUBSCRIPTIONS) return fail(`prefix: at most ${MAX_SUBSCRIPTIONS} prefixes`);
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const canon = typeof p === 'string' && p.length <= 64 ? canonicalPrefix(p.trim()) : null;
    if (canon === null) return fail(`prefix: ${JSON.stringify(p)} is not an IPv4 or IPv6 prefix`);
    out.push(canon);
  }
  return { ok: true, value: [...new Set(out)] };
}

/** The subscriptions a `ris_subscribe` / `ris_unsubscribe` data object stands for. */
function parseSubscriptionData(raw: unknown): Parsed<{
  subs: RisSubscription[];
  echo: Record<string, unknown>;
  socketOptions: Partial<SocketOptions> | null;
}> {
  const data = raw === undefined || raw === null ? {} : raw;
  if (typeof data !== 'object' || Array.isArray(data))
    return fail(`data: expected an object, got ${typeName(data)}`);
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!FIELDS.has(k)) return fail(`unknown field ${JSON.stringify(k)}`);
  const host = optionalString(d, 'host');
  if (!host.ok) return host;
  const typeText = optionalString(d, 'type');
  if (!typeText.ok) return typeText;
  const typeUpper = typeText.value?.toUpperCase() ?? null;
  const type = typeUpper === null ? null : RIS_TYPES.find((t) => t === typeUpper);
  if (type === undefined)
    return fail(`type: ${JSON.stringify(d.type)} is not one of ${RIS_TYPES.join(', ')}`);
  const req = optionalString(d, 'require');
  if (!req.ok) return req;
  if (req.value !== null && req.value !== 'announcements' && req.value !== 'withdrawals')
    return fail(`require: ${JSON.stringify(req.value)} is not "announcements" or "withdrawals"`);
  const peerText = optionalString(d, 'peer');
  if (!peerText.ok) return peerText;
  const peer = peerText.value === null ? null : canonicalAddress(peerText.value);
  if (peerText.value !== null && peer === null)
    return fail(`peer: ${JSON.stringify(d.peer)} is not an IP address`);
  let path: PathPattern | null = null;
  if (d.path !== undefined && d.path !== null) {
    const p = parsePathPattern(d.path);
    if (!p.ok) return fail(p.message);
    path = p.pattern;
  }
  const prefixes = parsePrefixes(d.prefix);
  if (!prefixes.ok) return prefixes;
  const more = optionalBool(d, 'moreSpecific', true);
  if (!more.ok) return more;
  const less = optionalBool(d, 'lessSpecific', false);
  if (!less.ok) return less;
  const socketOptions = parseSocketOptions(d.socketOptions);
  if (!socketOptions.ok) return socketOptions;

  // The fields of a subscription, in key order; each subscription fills in its prefix (in place: spreading
  // keeps the order).
  const fields = {
    host: host.value,
    type,
    require: req.value as RisRequire | null,
    peer,
    path: path === null ? null : path.text,
    prefix: null as string | null,
    moreSpecific: more.value,
    lessSpecific: less.value,
  };
  const subs = prefixes.value.map((prefix): RisSubscription => {
    const f = { ...fields, prefix };
    return { ...f, key: JSON.stringify(f), path };
  });
  // The echo has the same fields in the same order, without the absent ones, and the prefixes as a list
  // (one prefix on its own).
  const all = prefixes.value;
  const echo: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...fields, prefix: all.length === 1 ? all[0] : all }))
    if (v !== null) echo[k] = v;
  return { ok: true, value: { subs, echo, socketOptions: socketOptions.value } };
}

/** Parses one text frame from a RIS Live client. */
export function parseRisFrame(text: string): RisClientFrame {
  // Quoting a deeply nested value back (JSON.stringify) would overflow the stack: refuse it before parsing.
  if (nestsDeeperThan(text, MAX_CLIENT_FRAME_DEPTH))
    return { type: 'error', message: `message nests deeper than ${MAX_CLIENT_FRAME_DEPTH} levels` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { type: 'error', message: `message is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { type: 'error', message: 'message must be a JSON object with "type" and "data"' };
  const r = raw as Record<string, unknown>;
  switch (r.type) {
    case 'ris_subscribe':
    case 'ris_unsubscribe': {
      const p = parseSubscriptionData(r.data);
      if (!p.ok) return { type: 'error', message: `${r.type}: ${p.message}` };
      if (r.type === 'ris_unsubscribe') return { type: 'ris_unsubscribe', subscriptions: p.value.subs };
      return {
        type: 'ris_subscribe',
        subscriptions: p.value.subs,
        echo: p.value.echo,
        socketOptions: p.value.socketOptions,
      };
    }
    case 'request_rrc_list':
      return { type: 'request_rrc_list' };
    case 'ping':
      return { type: 'ping' };
    default:
      return {
        type: 'error',
        message: `unknown message type ${JSON.stringify(r.type)} (expected ris_subscribe, ris_unsubscribe, request_rrc_list or ping)`,
      };
  }
}

export function risErrorFrame(message: string): string {
  return JSON.stringify({ type: 'ris_error', data: { message } });
}

export function subscribeOkFrame(echo: Record<string, unknown>, options: SocketOptions): string {
  return JSON.stringify({ type: 'ris_subscribe_ok', data: { subscription: echo, socketOptions: options } });
}

export function rrcListFrame(hosts: string[]): string {
  return JSON.stringify({ type: 'ris_rrc_list', data: hosts });
}

export const PONG_FRAME = JSON.stringify({ type: 'pong', data: null });
