/**
 * Stream framing: feed arbitrary chunks (TCP reads, a whole capture file), get whole messages out. A message
 * inside one chunk is returned as a view (no copy); bytes are copied only when a message crosses chunks.
 * Garbage is skipped by resynchronising on the next plausible header and reported once per run.
 */
import { MAX_BMP_MESSAGE_LENGTH } from './bmp/common-header.ts';
import { BmpError } from './errors.ts';
import { OBMP_MAGIC } from './models/openbmp.ts';
import { isTextHeader, MAX_TEXT_HEADER, scanTextHeader, TextHeaderScan } from './openbmp/text-header.ts';
import { u16, u32 } from './read.ts';

export type StreamFormat = 'auto' | 'bmp' | 'openbmp';

export interface FramerOptions {
  /** 'auto' (default) tells raw BMP from OpenBMP (binary "OBMP" or text "V:") by each message's first bytes. */
  format?: StreamFormat;
  /** Longest BMP message accepted; longer headers are treated as garbage. */
  maxMessageLength?: number;
}

const NEED_MORE = 0;
const READY = 1;

export class BmpFramer {
  /** After `next()` returned true: the buffer holding the message. */
  buffer: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  /** After `next()` returned true: where the BMP message starts and ends in `buffer`. */
  start = 0;
  end = 0;
  /** Where the OpenBMP header (either form) starts (equal to `start` for raw BMP). */
  frameStart = 0;
  /** Whether the current message came wrapped in an OpenBMP header. */
  isOpenBmp = false;
  /** Bytes skipped as garbage so far, and messages framed. */
  skippedBytes = 0;
  messages = 0;

  private buf: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private owned = false;
  /** A chunk whose first bytes were copied behind a partial message (see push); framed in place next. */
  private pending: Uint8Array | null = null;
  /** How many bytes of that partial message start the carry copy. */
  private carried = 0;
  private pos = 0;
  private len = 0;
  private streamOffset = 0;
  private readonly format: StreamFormat;
  private readonly max: number;
  private readonly text = new TextHeaderScan();

  constructor(opts: FramerOptions = {}) {
    this.format = opts.format ?? 'auto';
    this.max = opts.maxMessageLength ?? MAX_BMP_MESSAGE_LENGTH;
  }

  /** Where the current message (its OpenBMP header, if any) starts in the stream: bytes pushed before it. */
  get frameOffset(): number {
    return this.streamOffset + this.frameStart;
  }

  /** Bytes held and not yet framed (bounded by the maximum message length, after a drain). */
  get buffered(): number {
    const p = this.pending;
    return p === null ? this.len - this.pos : this.len - this.pos + p.length - (this.len - this.carried);
  }

  /**
   * Adds bytes. The framer keeps views into `chunk` (no copy) until the next `push` after `next()` returned
   * false: only then may the caller reuse its memory.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.pending !== null) this.settle();
    const left = this.len - this.pos;
    // A large chunk after a partial message: only the start of the chunk is copied behind the partial message
    // (enough to complete it); framing then goes on in the chunk itself.
    const carry = Math.min(chunk.length, this.max + MAX_TEXT_HEADER + 256);
    if (left > 0 && chunk.length >= 4 * carry) {
      const c = new Uint8Array(left + carry);
      c.set(this.buf.subarray(this.pos, this.len), 0);
      c.set(chunk.subarray(0, carry), left);
      this.streamOffset += this.pos;
      this.buf = c;
      this.owned = false;
      this.pos = 0;
      this.len = left + carry;
      this.pending = chunk;
      this.carried = left;
      return;
    }
    if (left === 0) {
      this.streamOffset += this.pos;
      this.buf = chunk;
      this.owned = false;
      this.pos = 0;
      this.len = chunk.length;
      return;
    }
    // Keep the tail, append the chunk: reuse our own buffer if the free space after it suffices.
    if (this.owned && this.len + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.len);
      this.len += chunk.length;
      return;
    }
    const next = new Uint8Array(
      Math.max(left + chunk.length, Math.min(this.max + 256, 2 * (left + chunk.length))),
    );
    next.set(this.buf.subarray(this.pos, this.len), 0);
    next.set(chunk, left);
    this.streamOffset += this.pos;
    this.buf = next;
    this.owned = true;
    this.pos = 0;
    this.len = left + chunk.length;
  }

  /**
   * Advances to the next whole message. True: it is at buffer[start, end). False: more bytes are needed.
   * A BmpError: bytes were skipped as garbage (its offset is in stream bytes); call again to continue.
   */
  next(): boolean | BmpError {
    const at = this.pos;
    const r = this.frameAt(at);
    if (r === READY) return true;
    if (r === NEED_MORE) return this.pending !== null ? this.intoPending() : false;
    return this.resync(at);
  }

  /**
   * The carry copy is framed up to a message that runs on into the pending chunk: go on in the chunk itself.
   * (The carry holds the partial message and `carry` bytes of the chunk after it: chunk[i] is carry[carried + i].)
   */
  private intoPending(): boolean | BmpError {
    const chunk = this.pending as Uint8Array;
    if (this.pos < this.carried) {
      // Not reached while the carry covers the longest message; still correct: join the bytes and go on.
      this.settle();
      return this.next();
    }
    this.pending = null;
    this.streamOffset += this.carried;
    this.pos -= this.carried;
    this.buf = chunk;
    this.len = chunk.length;
    this.owned = false;
    return this.next();
  }

  /** Joins what is left of the carry copy and the pending chunk into one buffer (a push before a full drain). */
  private settle(): void {
    const chunk = this.pending as Uint8Array;
    this.pending = null;
    const fromCarry = Math.max(0, this.carried - this.pos);
    const fromChunk = chunk.subarray(Math.max(0, this.pos - this.carried));
    const joined = new Uint8Array(fromCarry + fromChunk.length);
    joined.set(this.buf.subarray(this.pos, this.pos + fromCarry), 0);
    joined.set(fromChunk, fromCarry);
    this.streamOffset += this.pos;
    this.buf = joined;
    this.owned = true;
    this.pos = 0;
    this.len = joined.length;
  }

  /** Garbage at `at`: finds the next plausible header and reports what was skipped (out of line: rare). */
  private resync(at: number): BmpError {
    let p = at + 1;
    while (p < this.len && this.plausibleAt(p) === false) p++;
    const skipped = p - at;
    this.skippedBytes += skipped;
    this.pos = p;
    return new BmpError(
      'BMP_ERR_MALFORMED',
      this.streamOffset + at,
      `skipped ${skipped} bytes that do not frame as ${this.format === 'openbmp' ? 'OpenBMP' : 'BMP'} messages`,
    );
  }

  /**
   * Call at end of input: an error if a partial message is left over (a truncated capture), else null.
   */
  finish(): BmpError | null {
    if (this.pending !== null) this.settle();
    const left = this.len - this.pos;
    if (left === 0) return null;
    const e = new BmpError(
      'BMP_ERR_TRUNCATED',
      this.streamOffset + this.pos,
      `input ends inside a message (${left} bytes left over)`,
    );
    this.pos = this.len;
    return e;
  }

  /** READY, NEED_MORE, or -1 for garbage at `p`. */
  private frameAt(p: number): number {
    const avail = this.len - p;
    if (avail < 1) return NEED_MORE;
    // Each format's check is its own small function, so the caller's inlining budget covers the one in use.
    const first = this.buf[p];
    if (this.format === 'bmp' || (this.format === 'auto' && first === 3)) return this.frameBmpAt(p, avail);
    if (first === 0x56 /* V: the OpenBMP 2.x text header */) return this.frameTextAt(p, avail);
    if (this.format === 'openbmp' || first === 0x4f) return this.frameOpenBmpAt(p, avail);
    return this.frameBmpAt(p, avail);
  }

  /** An OpenBMP text header: framed by its own scan (which also checks it), rare enough to go out of line. */
  private frameTextAt(p: number, avail: number): number {
    const s = this.text;
    const code = scanTextHeader(this.buf, p, this.len, s);
    if (code === 'BMP_ERR_TRUNCATED') return avail < MAX_TEXT_HEADER + this.max ? NEED_MORE : -1;
    if (code !== null || s.bmpLength < 6 || s.bmpLength > this.max) return -1;
    this.setMessage(p, p + s.headerLength, p + s.headerLength + s.bmpLength, true);
    return READY;
  }

  private frameOpenBmpAt(p: number, avail: number): number {
    const b = this.buf;
    if (avail < 12) return this.prefixOk(p, avail, true) ? NEED_MORE : -1;
    if (u32(b, p) !== 0x4f424d50 /* OBMP_MAGIC */ || b[p + 4] !== 1) return -1;
    const hLen = u16(b, p + 6);
    const bmpLen = u32(b, p + 8);
    if (hLen < 78 || bmpLen < 6 || bmpLen > this.max) return -1;
    if (avail < hLen + bmpLen) return NEED_MORE;
    this.setMessage(p, p + hLen, p + hLen + bmpLen, true);
    return READY;
  }

  private frameBmpAt(p: number, avail: number): number {
    const b = this.buf;
    if (avail < 6) return this.prefixOk(p, avail, false) ? NEED_MORE : -1;
    if (b[p] !== 3) return -1;
    const len = u32(b, p + 1);
    if (len < 6 || len > this.max) return -1;
    if (avail < len) return NEED_MORE;
    this.setMessage(p, p, p + len, false);
    return READY;
  }

  /** Whether a short tail could still be the start of a valid header (so waiting for more bytes makes sense). */
  private prefixOk(p: number, avail: number, obmp: boolean): boolean {
    const b = this.buf;
    if (obmp) {
      const magic = [0x4f, 0x42, 0x4d, 0x50];
      for (let i = 0; i < Math.min(avail, 4); i++) if (b[p + i] !== magic[i]) return false;
      return true;
    }
    return b[p] === 3;
  }

  /** A stricter check used only while resynchronising, so random bytes rarely pass as a header. */
  private plausibleAt(p: number): boolean {
    const b = this.buf;
    const avail = this.len - p;
    if (this.format !== 'bmp' && avail >= 4 && u32(b, p) === OBMP_MAGIC) return true;
    // "V: 1." starts a text header; a whole line of it must be there to count.
    if (this.format !== 'bmp' && isTextHeader(b, p) && avail >= 6 && b[p + 2] === 0x20 && b[p + 3] === 0x31)
      return true;
    if (this.format === 'openbmp') return false;
    if (b[p] !== 3) return false;
    if (avail < 6) return true;
    const len = u32(b, p + 1);
    return len >= 6 && len <= this.max && b[p + 5] <= 6;
  }

  private setMessage(frameStart: number, start: number, end: number, obmp: boolean): void {
    this.buffer = this.buf;
    this.frameStart = frameStart;
    this.start = start;
    this.end = end;
    this.isOpenBmp = obmp;
    this.pos = end;
    this.messages++;
  }
}
