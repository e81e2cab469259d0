/**
 * One `bmpwatch decode` pass: framed messages → decoded → counted and written. The loop is a method over
 * fields (not a closure over locals) and synchronous: it returns to its caller only when the input held is
 * used up or stdout asks it to wait.
 */
import {
  type BmpError,
  BmpFramer,
  BmpSession,
  decodeBmp,
  ElemsNdjson,
  OpenBmpRouters,
  readOpenBmpHeader,
  type StreamFormat,
} from '@bmpwatch/bmp';
import { bytesAsHex, NdjsonOut } from '../lib/output.ts';
import { Tally } from './tally.ts';

export type DecodeMode = 'elems' | 'messages' | 'summary';

/** Output is handed to stdout in pieces of about this many bytes. */
const OUTPUT_CHUNK = 1 << 20;

export class DecodeRun {
  readonly tally: Tally;
  readonly framer: BmpFramer;
  private readonly out = new NdjsonOut();
  private readonly elems = new ElemsNdjson(OUTPUT_CHUNK + (1 << 16));
  private readonly routers = new OpenBmpRouters();
  private readonly direct = new BmpSession();

  constructor(
    private readonly mode: DecodeMode,
    format: StreamFormat,
    private readonly stateless: boolean,
    private readonly quiet: boolean,
  ) {
    this.tally = new Tally(mode === 'summary');
    this.framer = new BmpFramer({ format });
  }

  /** Adds input; then `drain` until it returns null. */
  push(chunk: Uint8Array): void {
    this.tally.bytes += chunk.length;
    this.framer.push(chunk);
  }

  /**
   * Decodes every whole message held. Returns null when done, or a promise to await (stdout is full) before
   * calling again.
   */
  drain(): Promise<unknown> | null {
    const framer = this.framer;
    for (;;) {
      const r = framer.next();
      if (r === false) return null;
      if (r !== true) {
        this.report(r, r.offset, 0);
        continue;
      }
      const buf = framer.buffer;
      const at = framer.frameStart;
      let session = this.direct;
      let routerIp: string | null = null;
      if (framer.isOpenBmp) {
        const router = this.routers.read(buf, at, framer.end);
        if (router.type === 'error') {
          this.report(router, framer.frameOffset, at);
          continue;
        }
        session = router.session;
        routerIp = router.header.routerIp;
      }
      const msg = this.stateless
        ? decodeBmp(buf, framer.start, framer.end)
        : session.decode(buf, framer.start, framer.end);
      if (msg.type === 'error') {
        this.report(msg, framer.frameOffset, at);
        continue;
      }
      this.tally.message(msg, buf, framer.start);
      if (this.mode === 'summary') continue;
      if (this.mode === 'elems') {
        if (msg.type !== 'route_monitoring') continue;
        this.elems.write(msg, routerIp);
        if (this.elems.length < OUTPUT_CHUNK) continue;
        this.out.add(this.elems.take());
      } else {
        const header = framer.isOpenBmp ? readOpenBmpHeader(buf.subarray(at, framer.end)) : null;
        this.out.add(JSON.stringify(header === null ? msg : { ...msg, openbmp: header }, bytesAsHex) + '\n');
      }
      if (this.out.full) {
        const wait = this.out.flush();
        if (wait !== null) return wait;
      }
    }
  }

  /** End of input: reports a truncated tail and queues the elems still held. */
  endOfInput(): void {
    const tail = this.framer.finish();
    if (tail) this.report(tail, tail.offset, 0);
    if (this.elems.length > 0) this.out.add(this.elems.take());
  }

  /** Queues a last line (the summary), if any, and writes what is queued; a promise to await, or null. */
  close(line: string | null): Promise<unknown> | null {
    if (line !== null) this.out.add(line + '\n');
    return this.out.flush();
  }

  /**
   * `where`: the message's offset in the input. `e.offset` is in the framer's buffer; people read it from the
   * start of the message (its OpenBMP header, if any), which is at `base` there.
   */
  private report(e: BmpError, where: number, base: number): void {
    this.tally.error(e.code);
    if (!this.quiet)
      process.stderr.write(
        `bmpwatch decode: ${e.code} in message at byte ${where}: ${e.message} (byte ${e.offset - base} of it)\n`,
      );
  }
}
