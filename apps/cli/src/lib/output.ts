/**
 * Buffered output on stdout: text and bytes are gathered into about 1 MiB and written at once, and the writer
 * waits only when the stream says it is full (a slow reader). A reader that goes away (`| head`) ends the output
 * quietly (see main.ts).
 */
import { once } from 'node:events';

export class NdjsonOut {
  private pending: (string | Uint8Array)[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly limit = 1 << 20,
  ) {}

  /** Queues text or bytes made of whole lines. */
  add(lines: string | Uint8Array): void {
    this.pending.push(lines);
    this.size += lines.length;
  }

  /** Whether enough is queued that it is time to `flush`. */
  get full(): boolean {
    return this.size >= this.limit;
  }

  /** Writes what is queued; a promise (to await) only when the stream asked to wait for 'drain'. */
  flush(): Promise<unknown> | null {
    if (this.pending.length === 0) return null;
    const parts = this.pending;
    this.pending = [];
    this.size = 0;
    const chunk =
      parts.length === 1 && typeof parts[0] !== 'string'
        ? parts[0]
        : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    return this.stream.write(chunk) ? null : once(this.stream, 'drain');
  }
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** JSON.stringify replacer: byte arrays as hex strings (what a person or jq can read). */
export function bytesAsHex(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let s = '';
    for (let i = 0; i < value.length; i++) s += HEX[value[i]];
    return s;
  }
  return value;
}
