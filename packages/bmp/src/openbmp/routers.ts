/**
 * The routers of an OpenBMP stream. A Kafka topic interleaves many routers, and each needs its own decoder
 * session (its Peer Ups say how its peers encode paths). A router is found by the bytes that name it in each
 * header (binary: router hash and address; text: the R_HASH and R_IP values), hashed in place: no string is
 * built per message. Its full header is decoded once, when it first appears, for its identity.
 */
import { type ByteKeyed, ByteKeyMap, keyIs } from '../byte-key-map.ts';
import { BmpError, toBmpError } from '../errors.ts';
import type { OpenBmpHeader } from '../models/openbmp.ts';
import { BmpSession } from '../session.ts';
import { decodeOpenBmpHeader, locateOpenBmp, OpenBmpSpan, TEXT_FORM_TAG } from './header.ts';

/** One router of the stream. `value`: what the caller made of its identity (see OpenBmpRouters' constructor). */
export interface OpenBmpRouter<T> {
  /** Tells a router from a BmpError (`r.type === 'error'`) without an instanceof per message. */
  readonly type: 'router';
  /** The header of the router's first message (its hash, address, collector, group). */
  readonly header: OpenBmpHeader;
  readonly session: BmpSession;
  readonly value: T;
}

/** What the map keeps per router; the binary header's 32 identifying bytes also as eight big-endian words. */
interface Entry<T> extends OpenBmpRouter<T> {
  readonly words: Int32Array;
}

export interface OpenBmpRoutersOptions<T> {
  /** Called once per new router with its first header; the result is the router's `value`. */
  identify?: (header: OpenBmpHeader) => T;
  /**
   * Most routers kept (default 10,000). A stream naming more is refused per message with OBMP_ERR_ROUTERS,
   * so hostile headers cannot grow memory without bound; `delete` makes room.
   */
  maxRouters?: number;
}

/** Router → session map of an OpenBMP stream, with the stream's one in-place header reader. */
export class OpenBmpRouters<T = null> {
  /** After `read` returned a router: where its BMP message is (`bmpStart`, `bmpEnd`). */
  readonly span = new OpenBmpSpan();
  private readonly map = new ByteKeyMap<Entry<T>>();
  /** Consecutive messages mostly come from one router (as on a Kafka partition): it answers first. */
  private last: ByteKeyed<Entry<T>> | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | null = null;
  private readonly identify: (header: OpenBmpHeader) => T;
  private readonly maxRouters: number;

  constructor(opts: OpenBmpRoutersOptions<T> = {}) {
    this.identify = opts.identify ?? (() => null as T);
    this.maxRouters = opts.maxRouters ?? 10_000;
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * The router of the OpenBMP message at [o, end), its BMP message located in `span`; or the header's typed
   * error. A new router is added (its full header decoded: an address that is not one is refused here).
   */
  read(b: Uint8Array, o = 0, end = b.length): OpenBmpRouter<T> | BmpError {
    const s = this.span;
    const err = locateOpenBmp(b, o, end, s);
    if (err !== null) return err;
    const last = this.last;
    if (last !== null && last.tag === s.idTag) {
      if (
        s.idTag === TEXT_FORM_TAG
          ? keyIs(last, s.idBytes, s.idAt, s.idEnd, s.idTag)
          : this.sameWords(last.value.words, s.idBytes, s.idAt)
      )
        return last.value;
    }
    return this.find(b, o, end);
  }

  /** Any router but the last one's (out of line: keeps `read` small enough to inline). */
  private find(b: Uint8Array, o: number, end: number): OpenBmpRouter<T> | BmpError {
    const s = this.span;
    const e = this.map.get(s.idBytes, s.idAt, s.idEnd, s.idTag) ?? this.add(b, o, end);
    if (e instanceof BmpError) return e;
    this.last = e;
    return e.value;
  }

  /** Whether the 32 bytes at `at` are `w` (one DataView per input buffer: per message only where each comes in its own). */
  private sameWords(w: Int32Array, b: Uint8Array, at: number): boolean {
    let v = this.view;
    if (b !== this.viewOf) {
      v = this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.viewOf = b;
    }
    return (
      v.getInt32(at) === w[0] &&
      v.getInt32(at + 4) === w[1] &&
      v.getInt32(at + 8) === w[2] &&
      v.getInt32(at + 12) === w[3] &&
      v.getInt32(at + 16) === w[4] &&
      v.getInt32(at + 20) === w[5] &&
      v.getInt32(at + 24) === w[6] &&
      v.getInt32(at + 28) === w[7]
    );
  }

  /** A router seen for the first time (rare). */
  private add(b: Uint8Array, o: number, end: number): ByteKeyed<Entry<T>> | BmpError {
    const s = this.span;
    if (this.map.size >= this.maxRouters) {
      return new BmpError('OBMP_ERR_ROUTERS', o, `more than ${this.maxRouters} routers in one stream`);
    }
    let header: OpenBmpHeader;
    try {
      header = decodeOpenBmpHeader(b, o, end);
    } catch (e) {
      return toBmpError(e, 0, null);
    }
    const words = new Int32Array(8);
    if (s.idTag !== TEXT_FORM_TAG) {
      const v = new DataView(s.idBytes.buffer, s.idBytes.byteOffset + s.idAt, 32);
      for (let i = 0; i < 8; i++) words[i] = v.getInt32(4 * i);
    }
    const entry: Entry<T> = {
      type: 'router',
      header,
      session: new BmpSession(),
      value: this.identify(header),
      words,
    };
    return this.map.add(s.idBytes, s.idAt, s.idEnd, s.idTag, entry);
  }

  /** Forgets the routers `drop` picks (after a Termination, so a reconnect starts clean); returns how many. */
  delete(drop: (router: OpenBmpRouter<T>) => boolean): number {
    const dropped = this.map.delete((e) => drop(e.value));
    if (dropped > 0) this.last = null;
    return dropped;
  }

  [Symbol.iterator](): IterableIterator<OpenBmpRouter<T>> {
    return this.map.values();
  }
}
