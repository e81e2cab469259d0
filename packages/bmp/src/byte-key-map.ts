/**
 * A map keyed by a run of bytes in some buffer, looked up in place: the hot path names routers and peers by
 * header bytes, and building a string key per message would cost more than decoding it.
 */

/** FNV-1a over [at, end) of `b`, seeded with `tag`. */
function hashBytes(b: Uint8Array, at: number, end: number, tag: number): number {
  let h = 0x811c9dc5 ^ tag;
  for (let i = at; i < end; i++) h = Math.imul(h ^ b[i], 16777619);
  return h >>> 0;
}

export interface ByteKeyed<V> {
  /** A copy of the key's bytes. */
  readonly key: Uint8Array;
  /** Tells keys of different kinds with the same bytes apart (e.g. an IPv4 and an IPv6 address). */
  readonly tag: number;
  readonly value: V;
}

/** Whether `e`'s key is the bytes [at, end) of `b` with `tag`. */
export function keyIs(e: ByteKeyed<unknown>, b: Uint8Array, at: number, end: number, tag: number): boolean {
  const k = e.key;
  if (e.tag !== tag || k.length !== end - at) return false;
  for (let i = 0; i < k.length; i++) if (k[i] !== b[at + i]) return false;
  return true;
}

export class ByteKeyMap<V> {
  private readonly buckets = new Map<number, ByteKeyed<V>[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(b: Uint8Array, at: number, end: number, tag = 0): ByteKeyed<V> | undefined {
    const list = this.buckets.get(hashBytes(b, at, end, tag));
    if (list === undefined) return undefined;
    for (const e of list) if (keyIs(e, b, at, end, tag)) return e;
    return undefined;
  }

  /** Adds the key (which must not be there yet) with its value; returns the entry. */
  add(b: Uint8Array, at: number, end: number, tag: number, value: V): ByteKeyed<V> {
    const e: ByteKeyed<V> = { key: b.slice(at, end), tag, value };
    const h = hashBytes(b, at, end, tag);
    const list = this.buckets.get(h);
    if (list === undefined) this.buckets.set(h, [e]);
    else list.push(e);
    this.count++;
    return e;
  }

  /** Removes the entries `drop` picks; returns how many. */
  delete(drop: (e: ByteKeyed<V>) => boolean): number {
    let dropped = 0;
    for (const [h, list] of this.buckets) {
      const keep = list.filter((e) => !drop(e));
      dropped += list.length - keep.length;
      if (keep.length === 0) this.buckets.delete(h);
      else if (keep.length !== list.length) this.buckets.set(h, keep);
    }
    this.count -= dropped;
    return dropped;
  }

  *values(): IterableIterator<V> {
    for (const list of this.buckets.values()) for (const e of list) yield e.value;
  }
}
