/**
 * A token bucket: up to `capacity` tokens, refilled at `perSecond`. Used to price client requests by what they
 * cost the server (filter values indexed) rather than by frame count alone.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `n` tokens if there are that many (after refilling up to `now`, in ms); false leaves the bucket as is. */
  take(n: number, now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (n > this.tokens) return false;
    this.tokens -= n;
    return true;
  }
}
