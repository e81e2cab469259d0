/**
 * Per-second counters kept for a fixed window (15 minutes) in ring buffers: one slot per second, overwritten
 * as time moves on, so memory per series is constant and adding a count is two array writes.
 */

export const RATE_WINDOW_S = 900;

export interface RatePoint {
  t: number;
  a: number;
  w: number;
}

/** Two counters per second (announcements / withdrawals, or messages / bytes) over the last `size` seconds. */
export class RateSeries {
  private readonly a: Uint32Array;
  private readonly w: Uint32Array;
  /** The second the newest slot belongs to (-1: nothing counted yet). */
  private head = -1;
  /**
   * The first second the series covers: when it was created (the server or the router / peer started), or an
   * earlier second counts were added for. Seconds before it were never watched, so `series` leaves them out.
   */
  private first: number;

  constructor(
    readonly size: number = RATE_WINDOW_S,
    start: number = epochSecond(),
  ) {
    this.a = new Uint32Array(size);
    this.w = new Uint32Array(size);
    this.first = start;
  }

  /** The first second the series covers. */
  get start(): number {
    return this.first;
  }

  /** Adds counts to second `sec` (seconds that already fell out of the window are ignored). */
  add(sec: number, a: number, w: number): void {
    if (sec > this.head) this.advance(sec);
    else if (sec <= this.head - this.size) return;
    if (sec < this.first) this.first = sec;
    const i = sec % this.size;
    this.a[i] += a;
    this.w[i] += w;
  }

  /** Counts of second `sec` (zero outside the window). */
  at(sec: number): RatePoint {
    if (sec > this.head || sec <= this.head - this.size) return { t: sec, a: 0, w: 0 };
    const i = sec % this.size;
    return { t: sec, a: this.a[i], w: this.w[i] };
  }

  /**
   * The last `window` seconds ending at `until` (inclusive), oldest first, zeros included, but none from before
   * the series started: a young series gives fewer points (none when `until` is before its start).
   */
  series(until: number, window: number = this.size): RatePoint[] {
    const n = Math.max(0, Math.min(window, this.size, until - this.first + 1));
    const out: RatePoint[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = this.at(until - n + 1 + k);
    return out;
  }

  /** Sum over the last `window` seconds ending at `until`. */
  total(until: number, window: number = this.size): { a: number; w: number } {
    let a = 0;
    let w = 0;
    for (const p of this.series(until, window)) {
      a += p.a;
      w += p.w;
    }
    return { a, w };
  }

  /** Clears slots between the old head and `sec`, so stale seconds read as zero. */
  private advance(sec: number): void {
    const gap = this.head < 0 ? this.size : Math.min(sec - this.head, this.size);
    for (let k = 0; k < gap; k++) {
      const i = (sec - k) % this.size;
      this.a[i] = 0;
      this.w[i] = 0;
    }
    this.head = sec;
  }
}

/** Whole seconds since the epoch. */
export function epochSecond(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}
