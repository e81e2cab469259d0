// Batches store writes: the store modules queue what frames bring and register a flush here; a
// request runs every flush, in registration order, at most once per animation frame (or once a
// second while the tab is hidden, when animation frames stop), so a burst of frames costs one
// render.

/** A flush gets the time of the flush in seconds (one clock reading shared by all of them). */
export type Flush = (nowSec: number) => void;

export class FlushScheduler {
  private readonly flushes: Flush[] = [];
  private scheduled = false;

  register(...flushes: Flush[]): void {
    this.flushes.push(...flushes);
  }

  /** Asks for a flush; requests before it runs are merged into it. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (typeof document !== 'undefined' && document.hidden) setTimeout(this.run, 1_000);
    else requestAnimationFrame(this.run);
  }

  /** Runs every flush now (what a request leads to). */
  readonly run = (): void => {
    this.scheduled = false;
    const now = Date.now() / 1000;
    for (const flush of this.flushes) flush(now);
  };
}
