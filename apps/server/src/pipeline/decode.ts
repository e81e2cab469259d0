/**
 * The decode stage: bytes → (router, event). Keeps the per-router decoder sessions (a router's Peer Up teaches
 * the decoder its peers' encodings) and the router identity of each OpenBMP router hash.
 *
 * This is the one place that turns bytes into events, so a faster decoder path (an allocation-free scan of
 * Route Monitoring that builds attributes only when a client matches) can replace `session.decode` + `toEvent`
 * here without anything downstream changing.
 */
import { BmpError, BmpSession, ErrorCodes, OpenBmpRouters, RouteScan, scanRoutes } from '@bmpwatch/bmp';
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

/**
 * Decodes OpenBMP raw_bmp messages (Kafka payloads, OpenBMP captures), in either header form — binary
 * (RouteViews' collector) or 2.x text (OpenBMP's obmp-collector) — with a decoder session per router. The
 * decoder's router map finds the router by its header bytes and decodes its full header once, for its identity.
 */
export class OpenBmpDecoder {
  private readonly routers: OpenBmpRouters<RouterRef>;

  constructor(
    source: SourceKind,
    readonly sourceId: string,
  ) {
    this.routers = new OpenBmpRouters({
      identify: (h) => ({
        // The router's address is its id; a collector message without one falls back to the router hash.
        id: h.routerIp ?? h.routerHash,
        address: h.routerIp,
        source,
        sourceId,
        collector: h.adminId || null,
        group: h.routerGroup || null,
      }),
    });
  }

  /** `scan`: take the fast path for Route Monitoring (see ScannedRoutes). */
  decode(bytes: Uint8Array, now: number, scan = true): Decoded {
    const router = this.routers.read(bytes);
    if (router instanceof BmpError) return router;
    const { bmpStart, bmpEnd } = this.routers.span;
    const ref = router.value;
    const fast = scan ? scanRouteMonitoring(ref, router.session, bytes, bmpStart, bmpEnd, now) : null;
    if (fast !== null) return fast;
    const msg = router.session.decode(bytes, bmpStart, bmpEnd);
    if (msg instanceof BmpError) return msg;
    return { router: ref, event: toEvent(msg, ref, now, bytes, bmpStart) };
  }

  /** Forgets a router's decoder state (after its Termination, so a reconnect starts clean). */
  forget(routerId: string): void {
    this.routers.delete((r) => r.value.id === routerId);
  }
}
