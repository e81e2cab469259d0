/**
 * Replays a capture file (raw BMP or OpenBMP raw_bmp messages, told apart per message) at its original pace,
 * scaled, or as fast as possible, optionally looping. Timing comes from the OpenBMP collection time or the BMP
 * per-peer timestamp; messages without one (Initiation, Termination) keep the previous time.
 */
import { readFile } from 'node:fs/promises';
import type { BmpError } from '@bmpwatch/bmp';
import { type CaptureItem, frameCapture } from '@bmpwatch/bmp';
import { ServerError } from '../lib/errors.ts';
import type { SourceStatus } from '../model/source-status.ts';
import { OpenBmpDecoder, type RouterConnection, routerConnection } from '../pipeline/decode.ts';
import type { Ingest } from '../pipeline/ingest.ts';
import type { Source } from './source.ts';

export interface ReplayOptions {
  file: string;
  /** 1 original pace, 10 ten times faster, 0 as fast as possible. */
  speed: number;
  loop: boolean;
  /** Router id for raw BMP messages. */
  router: string;
}

/** Messages handed over per turn of the event loop at full speed (keeps the server responsive). */
const CHUNK = 2000;
/** Pause between loops, so a loop boundary is visible and a tiny file does not spin. */
const LOOP_PAUSE_MS = 1000;

export class ReplaySource implements Source {
  readonly id = 'replay';
  readonly kind = 'replay' as const;
  private items: CaptureItem[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private loops = 0;
  private pos = 0;
  private conn: RouterConnection | null = null;
  private decoder: OpenBmpDecoder | null = null;
  private ingest: Ingest | null = null;
  private startedAt = 0;
  private firstT = 0;
  private framingErrors: BmpError[] = [];

  constructor(private readonly opts: ReplayOptions) {}

  async start(ingest: Ingest): Promise<void> {
    let data: Uint8Array;
    try {
      data = await readFile(this.opts.file);
    } catch (e) {
      throw new ServerError('BMPWATCH_ERR_REPLAY', `cannot read ${this.opts.file}: ${(e as Error).message}`);
    }
    this.items = frameCapture(data, (m) => this.framingErrors.push(m));
    if (this.items.length === 0)
      throw new ServerError('BMPWATCH_ERR_REPLAY', `${this.opts.file} holds no BMP or OpenBMP messages`);
    this.ingest = ingest;
    this.running = true;
    this.begin();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.conn !== null) this.ingest!.disconnected(this.conn, 'replay stopped');
    this.conn = null;
  }

  status(): SourceStatus {
    const o = this.opts;
    const pace = o.speed === 0 ? 'full speed' : o.speed === 1 ? 'original pace' : `${o.speed}× speed`;
    return {
      status: 'ok',
      detail: `${o.file}: message ${this.pos}/${this.items.length}, loop ${this.loops + 1}, ${pace}`,
    };
  }

  /** Starts a pass over the file: a fresh router connection and decoder state, like a new BMP session. */
  private begin(): void {
    const ingest = this.ingest!;
    // Framing problems are reported once per pass, as a live source would see them each time.
    for (const e of this.framingErrors) ingest.malformed(this.id, e, this.opts.file);
    if (this.items.some((i) => !i.openBmp)) {
      this.conn = routerConnection('replay', this.id, this.opts.router, null);
      ingest.connected(this.conn, `replaying ${this.opts.file}`);
    }
    this.decoder = new OpenBmpDecoder('replay', this.id);
    this.pos = 0;
    this.startedAt = Date.now();
    this.firstT = this.items[0].t;
    this.pump();
  }

  private pump(): void {
    this.timer = null;
    if (!this.running) return;
    const ingest = this.ingest!;
    const speed = this.opts.speed;
    const elapsed = (Date.now() - this.startedAt) / 1000;
    let sent = 0;
    while (this.pos < this.items.length && sent < CHUNK) {
      const item = this.items[this.pos];
      const due = speed === 0 ? 0 : (item.t - this.firstT) / speed;
      if (due > elapsed) break;
      if (item.openBmp) ingest.openBmp(this.decoder!, item.bytes);
      else ingest.bmp(this.conn!, item.bytes);
      this.pos++;
      sent++;
    }
    if (this.pos < this.items.length) {
      const next = this.items[this.pos];
      const wait =
        speed === 0 || sent === CHUNK ? 0 : Math.max(0, ((next.t - this.firstT) / speed - elapsed) * 1000);
      this.timer = setTimeout(() => this.pump(), Math.min(wait, 1000));
      return;
    }
    if (!this.opts.loop) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      if (this.conn !== null) ingest.disconnected(this.conn, 'end of capture, looping');
      this.loops++;
      this.begin();
    }, LOOP_PAUSE_MS);
  }
}
