// Per-second announcement / withdrawal counts for the last `capacity` seconds in typed arrays: one
// slot per second (t mod capacity), so the series is capped by construction and allocates nothing
// per tick. Seconds never written (gaps, e.g. while disconnected) read as null.

export interface SeriesPoint {
  t: number;
  a: number | null;
  w: number | null;
}

export class RateSeries {
  readonly capacity: number;
  private readonly ts: Float64Array;
  private readonly a: Float64Array;
  private readonly w: Float64Array;
  /** The newest second written, or -Infinity. */
  last = Number.NEGATIVE_INFINITY;

  constructor(capacity = 900) {
    this.capacity = capacity;
    this.ts = new Float64Array(capacity).fill(Number.NaN);
    this.a = new Float64Array(capacity);
    this.w = new Float64Array(capacity);
  }

  set(t: number, a: number, w: number): void {
    const s = Math.floor(t);
    if (s <= this.last - this.capacity) return; // older than the window
    const i = ((s % this.capacity) + this.capacity) % this.capacity;
    this.ts[i] = s;
    this.a[i] = a;
    this.w[i] = w;
    if (s > this.last) this.last = s;
  }

  get(t: number): { a: number; w: number } | null {
    const s = Math.floor(t);
    const i = ((s % this.capacity) + this.capacity) % this.capacity;
    return this.ts[i] === s ? { a: this.a[i], w: this.w[i] } : null;
  }

  /** One point per second in [from, to] (inclusive), nulls for missing seconds. */
  range(from: number, to: number): SeriesPoint[] {
    const lo = Math.max(Math.floor(from), Math.floor(to) - this.capacity + 1);
    const hi = Math.floor(to);
    const out = new Array<SeriesPoint>(Math.max(0, hi - lo + 1));
    for (let s = lo, k = 0; s <= hi; s++, k++) {
      const i = ((s % this.capacity) + this.capacity) % this.capacity;
      out[k] = this.ts[i] === s ? { t: s, a: this.a[i], w: this.w[i] } : { t: s, a: null, w: null };
    }
    return out;
  }

  /** Sum of a + w per second for the last `n` seconds up to `to`, oldest first (0 for missing). */
  totals(to: number, n: number): number[] {
    const out = new Array<number>(n);
    const hi = Math.floor(to);
    for (let k = 0; k < n; k++) {
      const s = hi - n + 1 + k;
      const i = ((s % this.capacity) + this.capacity) % this.capacity;
      out[k] = this.ts[i] === s ? this.a[i] + this.w[i] : 0;
    }
    return out;
  }
}

/** A bounded set of keyed series (routers, peers): the least recently updated key goes first. */
export class RateSeriesMap {
  readonly maxKeys: number;
  readonly capacity: number;
  private readonly map = new Map<string, RateSeries>();

  constructor(maxKeys = 2_000, capacity = 900) {
    this.maxKeys = maxKeys;
    this.capacity = capacity;
  }

  set(key: string, t: number, a: number, w: number): void {
    let s = this.map.get(key);
    if (s) {
      // Re-insert to keep Map order = least recently updated first.
      this.map.delete(key);
    } else {
      s = new RateSeries(this.capacity);
      if (this.map.size >= this.maxKeys) {
        const oldest = this.map.keys().next().value;
        if (oldest !== undefined) this.map.delete(oldest);
      }
    }
    this.map.set(key, s);
    s.set(t, a, w);
  }

  get(key: string): RateSeries | undefined {
    return this.map.get(key);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
