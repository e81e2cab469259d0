/**
 * The bytes of FILE (or stdin for "-") in large chunks. A regular file is read synchronously, 64 MiB at a time
 * (in one read when it is smaller): the decoder then frames whole messages in place and copies only the few
 * that cross a chunk. Anything else (stdin, a pipe, a FIFO) comes as its stream gives it.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 << 20;

export async function* inputChunks(file: string): AsyncGenerator<Uint8Array> {
  if (file === '-') {
    yield* process.stdin as AsyncIterable<Uint8Array>;
    return;
  }
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      yield* createReadStream('', {
        fd,
        autoClose: false,
        highWaterMark: 1 << 20,
      }) as AsyncIterable<Uint8Array>;
      return;
    }
    for (let left = st.size; left > 0; ) {
      // A fresh buffer per chunk: the framer keeps views into the last one.
      const buf = Buffer.allocUnsafe(Math.min(left, CHUNK));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, null);
        if (n === 0) break;
        got += n;
      }
      if (got === 0) return;
      left -= got;
      // A plain Uint8Array: decoded byte fields must not be Buffers (their toJSON would beat --messages' hex).
      yield new Uint8Array(buf.buffer, buf.byteOffset, got);
    }
  } finally {
    closeSync(fd);
  }
}
