// Rates, and the only writer of $rates and rateHistory: the per-second history (global, per
// router, per peer) is written in place as ticks arrive, and $rates, whose version tells the
// charts the history changed, is set on flush — once per flush however many ticks came.
import type { RatesFrame } from '../api-types.ts';
import { $rates, type RatesState, rateHistory } from '../stores.ts';
import type { Snapshot } from './network.ts';

export class RatesTracker {
  private next: RatesState | null = null;
  private dirty = false;

  /** Seeds the global history from a hello's snapshot and publishes its last point. */
  applySnapshot(rates: Snapshot['rates'] | undefined): void {
    for (const p of rates?.series ?? []) rateHistory.global.set(p.t, p.a, p.w);
    const last = rates?.series?.at(-1);
    $rates.set({
      ...$rates.get(),
      version: $rates.get().version + 1,
      t: last ? last.t : Math.floor(Date.now() / 1000),
      global: last ? { a: last.a, w: last.w } : { a: 0, w: 0 },
    });
  }

  /** A rate tick: recorded in the history now, published on the next flush. */
  add(frame: RatesFrame): void {
    const t = frame.t;
    if (frame.global) rateHistory.global.set(t, frame.global.a, frame.global.w);
    if (frame.routers)
      for (const [k, v] of Object.entries(frame.routers)) rateHistory.routers.set(k, t, v.a, v.w);
    if (frame.peers) for (const [k, v] of Object.entries(frame.peers)) rateHistory.peers.set(k, t, v.a, v.w);
    const prev = $rates.get();
    this.next = {
      version: prev.version + 1,
      t,
      global: frame.global ?? { a: 0, w: 0 },
      ingest: frame.ingest ?? prev.ingest,
    };
    this.dirty = true;
  }

  flush(): void {
    if (this.dirty && this.next) {
      this.dirty = false;
      $rates.set(this.next);
    }
  }
}
