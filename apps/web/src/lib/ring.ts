// A fixed-capacity ring buffer: pushing past capacity overwrites the oldest item, so memory stays flat.

export class Ring<T> {
  readonly capacity: number;
  private readonly buf: (T | undefined)[];
  private head = 0; // next write position
  size = 0;

  constructor(capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be > 0, got ${capacity}`);
    this.capacity = capacity;
    this.buf = new Array(capacity).fill(undefined);
  }

  push(item: T): void {
    this.buf[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Pushes in order; only the last `capacity` items can survive, so earlier ones are skipped. */
  pushAll(items: readonly T[]): void {
    const start = Math.max(0, items.length - this.capacity);
    for (let i = start; i < items.length; i++) this.push(items[i]);
  }

  /** The i-th newest item (0 = newest). */
  newest(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.buf[(this.head - 1 - i + this.capacity * 2) % this.capacity];
  }

  /** Items oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.newest(this.size - 1 - i) as T;
    return out;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.size = 0;
  }
}
