// Counts keys (prefixes, peers, origin ASNs) over a sliding time window, for "top talkers".
// Counts go into buckets of `bucketSec` seconds; a running total over the current window is kept,
// so adding is O(1) and `top()` scans only the distinct keys. Both the number of buckets and the
// number of distinct keys are capped: keys beyond `maxKeys` are counted under `other`.

export interface TopEntry {
  key: string;
  count: number;
}

interface Bucket {
  start: number;
  counts: Map<string, number>;
  other: number;
  /** Already subtracted from the running total (left the window). */
  out: boolean;
}

export class WindowCounter {
  readonly bucketSec: number;
  readonly maxWindowSec: number;
  readonly maxKeys: number;
  windowSec: number;
  private buckets: Bucket[] = [];
  private total = new Map<string, number>();
  private totalOther = 0;
  private totalCount = 0;

  constructor(opts: { windowSec: number; maxWindowSec?: number; bucketSec?: number; maxKeys?: number }) {
    this.windowSec = opts.windowSec;
    this.maxWindowSec = Math.max(opts.maxWindowSec ?? opts.windowSec, opts.windowSec);
    this.bucketSec = opts.bucketSec ?? 10;
    this.maxKeys = opts.maxKeys ?? 20_000;
  }

  add(key: string, nowSec: number, n = 1): void {
    const start = Math.floor(nowSec / this.bucketSec) * this.bucketSec;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.start < start) {
      b = { start, counts: new Map(), other: 0, out: false };
      this.buckets.push(b);
      this.expire(nowSec);
    } else if (b.start > start) {
      return; // out-of-order time: ignore rather than corrupt the window
    }
    this.totalCount += n;
    const had = b.counts.get(key);
    if (had === undefined && this.total.size >= this.maxKeys && !this.total.has(key)) {
      b.other += n;
      this.totalOther += n;
      return;
    }
    b.counts.set(key, (had ?? 0) + n);
    this.total.set(key, (this.total.get(key) ?? 0) + n);
  }

  /** Drops what fell out of the window (and buckets older than the largest window). */
  expire(nowSec: number): void {
    const windowStart = nowSec - this.windowSec;
    const keepStart = nowSec - this.maxWindowSec;
    while (this.buckets.length && this.buckets[0].start + this.bucketSec <= keepStart) this.buckets.shift();
    // Rebuild lazily: subtract buckets that left the window but were still counted.
    for (const b of this.buckets) {
      if (b.start + this.bucketSec > windowStart) break;
      if (b.out) continue;
      b.out = true;
      this.subtract(b);
    }
  }

  private subtract(b: Bucket): void {
    for (const [k, c] of b.counts) {
      const left = (this.total.get(k) ?? 0) - c;
      if (left > 0) this.total.set(k, left);
      else this.total.delete(k);
      this.totalCount -= c;
    }
    this.totalOther -= b.other;
    this.totalCount -= b.other;
  }

  /** Changes the window (up to maxWindowSec) and recounts from the kept buckets. */
  setWindow(windowSec: number, nowSec: number): void {
    this.windowSec = Math.min(windowSec, this.maxWindowSec);
    this.total = new Map();
    this.totalOther = 0;
    this.totalCount = 0;
    const windowStart = nowSec - this.windowSec;
    for (const b of this.buckets) {
      const inside = b.start + this.bucketSec > windowStart;
      b.out = !inside;
      if (!inside) continue;
      for (const [k, c] of b.counts) this.total.set(k, (this.total.get(k) ?? 0) + c);
      this.totalOther += b.other;
      for (const c of b.counts.values()) this.totalCount += c;
      this.totalCount += b.other;
    }
  }

  /** The `n` keys with the highest counts in the window, highest first. */
  top(n: number): TopEntry[] {
    const best: TopEntry[] = [];
    for (const [key, count] of this.total) {
      if (best.length < n) {
        best.push({ key, count });
        if (best.length === n) best.sort((x, y) => y.count - x.count);
      } else if (count > best[n - 1].count) {
        let i = n - 1;
        while (i > 0 && best[i - 1].count < count) i--;
        best.splice(i, 0, { key, count });
        best.pop();
      }
    }
    if (best.length < n) best.sort((x, y) => y.count - x.count);
    return best;
  }

  /** Everything counted in the window, including `other`. */
  get count(): number {
    return this.totalCount;
  }

  get other(): number {
    return this.totalOther;
  }

  get distinct(): number {
    return this.total.size;
  }

  clear(): void {
    this.buckets = [];
    this.total = new Map();
    this.totalOther = 0;
    this.totalCount = 0;
  }
}
