/**
 * The decode stage: bytes → (router, event). Keeps the per-router decoder sessions (a router's Peer Up teaches
 * the decoder its peers' encodings) and the router identity of each OpenBMP router hash.
 *
 * This is the one place that turns bytes into events, so a faster decoder path (an allocation-free scan of
 * Route Monitoring that builds attributes only when a client matches) can replace `session.decode` + `toEvent`
 * here without anything downstream changing.
 */
import {
  BmpError,
  BmpSession,
  decodeOpenBmp,
  ErrorCodes,
  MAX_TEXT_HEADER,
  type OpenBmpHeader,
  RouteScan,
  scanRoutes,
  scanTextHeader,
  TextHeaderScan,
} from '@bmpwatch/bmp';
import type { RouterRef, SourceKind } from '../model/events.ts';
import { type PipelineEvent, ScannedRoutes, toEvent } from './events.ts';

/**
 * Route Monitoring (nearly every message) goes through the decoder's allocation-free scan; the pipeline asks
 * for the full decode only when it needs attributes. One scan record serves every source: messages are
 * decoded and applied one at a time, synchronously.
 */
const scan = new RouteScan();
const scanned = new ScannedRoutes(scan);

/** Scans the Route Monitoring message at [offset, end), or returns null for other message types. */
function scanRouteMonitoring(
  router: RouterRef,
  session: BmpSession,
  bytes: Uint8Array,
  offset: number,
  end: number,
  now: number,
): Decoded | null {
  if (end - offset < 6 || bytes[offset + 5] !== 0) return null;
  const code = scanRoutes(bytes, offset, end, session, scan);
  if (code !== null) return new BmpError(code, scan.errorOffset - offset, ErrorCodes[code], 0);
  return { router, event: scanned.set(router, bytes, offset, end, session, now) };
}

/** A router connection: its identity and its decoder session (one per TCP connection, demo router, file). */
export interface RouterConnection {
  readonly ref: RouterRef;
  readonly session: BmpSession;
}

export function routerConnection(
  source: SourceKind,
  sourceId: string,
  id: string,
  address: string | null,
): RouterConnection {
  return { ref: { id, address, source, sourceId, collector: null, group: null }, session: new BmpSession() };
}

export type Decoded = { router: RouterRef; event: PipelineEvent | null } | BmpError;

/** Decodes one raw BMP message of a router connection. */
export function decodeBmpMessage(
  conn: RouterConnection,
  bytes: Uint8Array,
  now: number,
  scan = true,
): Decoded {
  const fast = scan ? scanRouteMonitoring(conn.ref, conn.session, bytes, 0, bytes.length, now) : null;
  if (fast !== null) return fast;
  const msg = conn.session.decode(bytes);
  if (msg instanceof BmpError) return msg;
  return { router: conn.ref, event: toEvent(msg, conn.ref, now, bytes, 0) };
}

interface RouterSlot {
  /** The bytes that identify the router: binary header, its hash and IP (32); text header, R_HASH "\n" R_IP. */
  id: Uint8Array;
  session: BmpSession;
  ref: RouterRef | null;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** FNV-1a over the router's identifying bytes: a Map key without building a string per message. */
function slotHash(b: Uint8Array, at: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[at + i], 16777619);
  return h >>> 0;
}

function sameId(a: Uint8Array, b: Uint8Array, at: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/**
 * Decodes OpenBMP raw_bmp messages (Kafka payloads, OpenBMP captures), in either header form — binary
 * (RouteViews' collector) or 2.x text (OpenBMP's obmp-collector), told apart by the first byte — with a
 * decoder session per router.
 *
 * Fast path: the fixed header fields are checked in place and the router is found by its hash and IP bytes, so
 * a message costs no header object and no hex strings; the full header is decoded once per router, for its
 * identity. Anything the quick checks do not accept goes through `decodeOpenBmp`, whose typed error says why.
 */
export class OpenBmpDecoder {
  private readonly slots = new Map<number, RouterSlot[]>();
  private last: RouterSlot | null = null;
  private readonly text = new TextHeaderScan();
  /** A text header's identifying bytes, gathered from its R_HASH and R_IP lines. */
  private readonly textId = new Uint8Array(2 * MAX_TEXT_HEADER);

  constructor(
    private readonly source: SourceKind,
    readonly sourceId: string,
  ) {}

  /** `scan`: take the fast path for Route Monitoring (see ScannedRoutes). */
  decode(bytes: Uint8Array, now: number, scan = true): Decoded {
    const n = bytes.length;
    if (
      n >= 78 &&
      bytes[0] === 0x4f &&
      bytes[1] === 0x42 &&
      bytes[2] === 0x4d &&
      bytes[3] === 0x50 &&
      bytes[4] === 1 &&
      bytes[13] === 12
    ) {
      const hLen = (bytes[6] << 8) | bytes[7];
      const end = hLen + u32(bytes, 8);
      const idAt = 40 + ((bytes[38] << 8) | bytes[39]);
      if (hLen >= 78 && end <= n && idAt + 36 <= hLen)
        return this.decodeAt(this.slotFor(bytes, idAt, 32), bytes, hLen, end, now, scan);
    } else if (n > 0 && bytes[0] === 0x56 /* V */) {
      const s = this.text;
      const code = scanTextHeader(bytes, 0, n, s);
      if (code !== null) return new BmpError(code, s.errorAt, s.detail);
      const id = this.textId;
      let k = 0;
      for (let i = s.hashAt; i < s.hashEnd; i++) id[k++] = bytes[i];
      id[k++] = 0x0a;
      for (let i = s.ipAt; i < s.ipEnd; i++) id[k++] = bytes[i];
      return this.decodeAt(
        this.slotFor(id, 0, k),
        bytes,
        s.headerLength,
        s.headerLength + s.bmpLength,
        now,
        scan,
      );
    }
    // Not a well-formed binary header: the full decoder says exactly what is wrong. Every header it accepts
    // passes the checks above (they follow from its own), so from here it only ever returns its error.
    const m = decodeOpenBmp(bytes);
    if (m instanceof BmpError) return m;
    return new BmpError(
      'OBMP_ERR_LENGTH',
      38,
      'OpenBMP header accepted by the decoder but not by the fast path',
      0,
    );
  }

  /** The BMP message at [hLen, end) of a router's OpenBMP message. */
  private decodeAt(
    slot: RouterSlot,
    bytes: Uint8Array,
    hLen: number,
    end: number,
    now: number,
    scan: boolean,
  ): Decoded {
    if (slot.ref !== null) {
      const fast = scan ? scanRouteMonitoring(slot.ref, slot.session, bytes, hLen, end, now) : null;
      if (fast !== null) return fast;
      const msg = slot.session.decode(end === bytes.length ? bytes : bytes.subarray(0, end), hLen);
      if (msg instanceof BmpError) return msg;
      return { router: slot.ref, event: toEvent(msg, slot.ref, now, bytes, hLen) };
    }
    // First message of this router: decode the whole header once, for the router's identity.
    const m = decodeOpenBmp(bytes, slot.session);
    if (m instanceof BmpError) {
      // A router whose header does not decode (e.g. a text header's R_IP that is no address) gets no slot.
      this.drop(slot);
      return m;
    }
    slot.ref = this.routerRef(m.header);
    if (m.message instanceof BmpError) return m.message;
    return { router: slot.ref, event: toEvent(m.message, slot.ref, now, bytes, m.header.headerLength) };
  }

  /** Forgets a router's decoder state (after its Termination, so a reconnect starts clean). */
  forget(routerId: string): void {
    for (const [key, list] of this.slots) {
      const keep = list.filter((s) => s.ref?.id !== routerId);
      if (keep.length === 0) this.slots.delete(key);
      else this.slots.set(key, keep);
    }
    this.last = null;
  }

  /** The slot for the router identified by `len` bytes at `at`; consecutive messages mostly share one. */
  private slotFor(b: Uint8Array, at: number, len: number): RouterSlot {
    const last = this.last;
    if (last !== null && sameId(last.id, b, at, len)) return last;
    const h = slotHash(b, at, len);
    let list = this.slots.get(h);
    if (list === undefined) {
      list = [];
      this.slots.set(h, list);
    }
    for (const s of list) {
      if (sameId(s.id, b, at, len)) {
        this.last = s;
        return s;
      }
    }
    const slot: RouterSlot = { id: b.slice(at, at + len), session: new BmpSession(), ref: null };
    list.push(slot);
    this.last = slot;
    return slot;
  }

  private drop(slot: RouterSlot): void {
    const h = slotHash(slot.id, 0, slot.id.length);
    const list = this.slots.get(h)?.filter((s) => s !== slot) ?? [];
    if (list.length === 0) this.slots.delete(h);
    else this.slots.set(h, list);
    if (this.last === slot) this.last = null;
  }

  private routerRef(h: OpenBmpHeader): RouterRef {
    return {
      // The router's address is its id; a collector message without one falls back to the router hash.
      id: h.routerIp ?? h.routerHash,
      address: h.routerIp,
      source: this.source,
      sourceId: this.sourceId,
      collector: h.adminId || null,
      group: h.routerGroup || null,
    };
  }
}
