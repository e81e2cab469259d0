// Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with ± `jitter` so that many tabs
// reconnecting after a server restart do not arrive in lockstep.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, factor: 2, jitter: 0.2 };

/** The delay before reconnect attempt number `attempt` (0 = the first retry). */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const raw = Math.min(opts.maxMs, opts.baseMs * opts.factor ** Math.max(0, attempt));
  const scale = 1 + opts.jitter * (2 * random() - 1);
  return Math.round(Math.min(opts.maxMs * (1 + opts.jitter), Math.max(0, raw * scale)));
}

export class Backoff {
  attempt = 0;
  readonly opts: BackoffOptions;
  readonly random: () => number;

  constructor(opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random) {
    this.opts = opts;
    this.random = random;
  }

  /** The next delay; each call counts one more failed attempt. */
  next(): number {
    return backoffDelay(this.attempt++, this.opts, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
