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
  type OpenBmpHeader,
  RouteScan,
  scanRoutes,
} from '@bmpwatch/bmp';
import { type PipelineEvent, type RouterRef, ScannedRoutes, type SourceKind, toEvent } from './events.ts';

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
  /** The 32 bytes (router hash and router IP) that identify the router in OpenBMP headers. */
  id: Uint8Array;
  session: BmpSession;
  ref: RouterRef | null;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** FNV-1a over the router's 32 identifying bytes: a Map key without building a string per message. */
function slotHash(b: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 32; i++) h = Math.imul(h ^ b[at + i], 16777619);
  return h >>> 0;
}

function sameId(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/**
 * Decodes OpenBMP raw_bmp messages (Kafka payloads, OpenBMP captures) with a decoder session per router.
 *
 * Fast path: the fixed header fields are checked in place and the router is found by its hash and IP bytes, so
 * a message costs no header object and no hex strings; the full header is decoded once per router, for its
 * identity. Anything the quick checks do not accept goes through `decodeOpenBmp`, whose typed error says why.
 */
export class OpenBmpDecoder {
  private readonly slots = new Map<number, RouterSlot[]>();
  private last: RouterSlot | null = null;

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
      if (hLen >= 78 && end <= n && idAt + 36 <= hLen) {
        const slot = this.slotFor(bytes, idAt);
        if (slot.ref !== null) {
          const fast = scan ? scanRouteMonitoring(slot.ref, slot.session, bytes, hLen, end, now) : null;
          if (fast !== null) return fast;
          const msg = slot.session.decode(end === n ? bytes : bytes.subarray(0, end), hLen);
          if (msg instanceof BmpError) return msg;
          return { router: slot.ref, event: toEvent(msg, slot.ref, now, bytes, hLen) };
        }
        // First message of this router: decode the whole header once, for the router's identity.
        const m = decodeOpenBmp(bytes, slot.session);
        if (m instanceof BmpError) return m;
        slot.ref = this.routerRef(m.header);
        if (m.message instanceof BmpError) return m.message;
        return { router: slot.ref, event: toEvent(m.message, slot.ref, now, bytes, m.header.headerLength) };
      }
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

  /** Forgets a router's decoder state (after its Termination, so a reconnect starts clean). */
  forget(routerId: string): void {
    for (const [key, list] of this.slots) {
      const keep = list.filter((s) => s.ref?.id !== routerId);
      if (keep.length === 0) this.slots.delete(key);
      else this.slots.set(key, keep);
    }
    this.last = null;
  }

  /** The slot for the router whose 32 identifying bytes start at `at`; consecutive messages mostly share one. */
  private slotFor(b: Uint8Array, at: number): RouterSlot {
    const last = this.last;
    if (last !== null && sameId(last.id, b, at)) return last;
    const h = slotHash(b, at);
    let list = this.slots.get(h);
    if (list === undefined) {
      list = [];
      this.slots.set(h, list);
    }
    for (const s of list) {
      if (sameId(s.id, b, at)) {
        this.last = s;
        return s;
      }
    }
    const slot: RouterSlot = { id: b.slice(at, at + 32), session: new BmpSession(), ref: null };
    list.push(slot);
    this.last = slot;
    return slot;
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
