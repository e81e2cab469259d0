/** A growable big-endian byte writer for the encoder (tests, demo feed, benchmarks; not the decode path). */

/** Raised by the encoder for a value that does not fit its field, instead of silently truncating. */
export class EncodeError extends Error {
  constructor(
    readonly field: string,
    readonly actual: number,
    readonly max: number,
  ) {
    super(`${field} is ${actual}, above the maximum of ${max}`);
    this.name = 'EncodeError';
  }
}

export class Writer {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  /** Unsigned 64-bit from a JS number (exact up to 2^53). */
  u64(v: number): this {
    const hi = Math.floor(v / 0x100000000);
    return this.u32(hi).u32(v >>> 0);
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Reserves `n` bytes to patch later (lengths written after their content); returns their offset. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.buf.fill(0, at, at + n);
    this.pos += n;
    return at;
  }

  patchU16(at: number, v: number): void {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  patchU32(at: number, v: number): void {
    this.buf[at] = (v >>> 24) & 0xff;
    this.buf[at + 1] = (v >>> 16) & 0xff;
    this.buf[at + 2] = (v >>> 8) & 0xff;
    this.buf[at + 3] = v & 0xff;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export function checkMax(field: string, actual: number, max: number): void {
  if (!(actual <= max) || actual < 0 || !Number.isInteger(actual)) throw new EncodeError(field, actual, max);
}

const te = new TextEncoder();
export function utf8(s: string): Uint8Array {
  return te.encode(s);
}
