/** Buffered NDJSON output to stdout that respects backpressure and exits quietly when the reader goes away. */
import { once } from 'node:events';

const LIMIT = 1 << 16;

export class LineWriter {
  private buf = '';

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  /** Queues one line; resolves at once unless the buffer was flushed into a full stream. */
  async line(s: string): Promise<void> {
    this.buf += s + '\n';
    if (this.buf.length >= LIMIT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
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
