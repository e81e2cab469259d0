/**
 * The decode stage: bytes → (router, event). Keeps the per-router decoder sessions (a router's Peer Up teaches
 * the decoder its peers' encodings) and the router identity of each OpenBMP router hash.
 *
 * This is the one place that turns bytes into events, so a faster decoder path (an allocation-free scan of
 * Route Monitoring that builds attributes only when a client matches) can replace `session.decode` + `toEvent`
 * here without anything downstream changing.
 */
import { BmpError, BmpSession, decodeOpenBmp, type OpenBmpHeader } from '@bmpwatch/bmp';
import { type PipelineEvent, type RouterRef, type SourceKind, toEvent } from './events.ts';

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
  return { ref: { id, address, source, sourceId, collector: null }, session: new BmpSession() };
}

export type Decoded = { router: RouterRef; event: PipelineEvent | null } | BmpError;

/** Decodes one raw BMP message of a router connection. */
export function decodeBmpMessage(conn: RouterConnection, bytes: Uint8Array, now: number): Decoded {
  const msg = conn.session.decode(bytes);
  if (msg instanceof BmpError) return msg;
  return { router: conn.ref, event: toEvent(msg, conn.ref, now) };
}

interface RouterSlot {
  session: BmpSession;
  ref: RouterRef | null;
}

/**
 * Decodes OpenBMP raw_bmp messages (Kafka payloads, OpenBMP captures) with a decoder session per router. The
 * router is found from the header's router hash and IP before decoding; consecutive messages mostly come from
 * the same router (Kafka partitions by router), so the last router is remembered by its raw bytes.
 */
export class OpenBmpDecoder {
  private readonly slots = new Map<string, RouterSlot>();
  private readonly lastKey = new Uint8Array(32);
  private last: RouterSlot | null = null;

  constructor(
    private readonly source: SourceKind,
    readonly sourceId: string,
  ) {}

  decode(bytes: Uint8Array, now: number): Decoded {
    const slot = this.slotFor(bytes);
    const m = decodeOpenBmp(bytes, slot?.session);
    if (m instanceof BmpError) return m;
    if (m.message instanceof BmpError) return m.message;
    // slotFor found the router fields wherever decodeOpenBmp accepted the header.
    const s = slot!;
    s.ref ??= this.routerRef(m.header);
    return { router: s.ref, event: toEvent(m.message, s.ref, now) };
  }

  /** Forgets a router's decoder state (after its Termination, so a reconnect starts clean). */
  forget(routerId: string): void {
    for (const [key, slot] of this.slots) {
      if (slot.ref?.id === routerId) this.slots.delete(key);
    }
    this.last = null;
  }

  /** The session for the router named in the header (hash + IP), or null if the header is too short to say. */
  private slotFor(b: Uint8Array): RouterSlot | null {
    if (b.length < 40) return null;
    const at = 40 + ((b[38] << 8) | b[39]);
    if (b.length < at + 32) return null;
    const last = this.lastKey;
    if (this.last !== null) {
      let same = true;
      for (let i = 0; i < 32; i++) {
        if (b[at + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.last;
    }
    const key = String.fromCharCode.apply(null, Array.from(b.subarray(at, at + 32)));
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { session: new BmpSession(), ref: null };
      this.slots.set(key, slot);
    }
    last.set(b.subarray(at, at + 32));
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
    };
  }
}
