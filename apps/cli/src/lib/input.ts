/**
 * The bytes of FILE (or stdin for "-") in large chunks. A regular file is read synchronously, 16 MiB at a
 * time, into two buffers used in turn: the framer frames in place and copies only a message that crosses two
 * reads, and lets go of a buffer once the next one is pushed (BmpFramer.push), so each is overwritten only two
 * reads later. Reusing them spares the page faults of fresh memory, which cost more than the copy from the
 * page cache. Anything else (stdin, a pipe, a FIFO) comes as its stream gives it.
 *
 * The caller must push each chunk and drain the framer before asking for the next one.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 16 << 20;

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
    // Plain Uint8Arrays: decoded byte fields are views of these and must not be Buffers (their toJSON would
    // beat --messages' hex).
    const size = Math.min(CHUNK, Math.max(st.size, 1));
    const buffers = [new Uint8Array(size), new Uint8Array(size)];
    for (let turn = 0; ; turn ^= 1) {
      const buf = buffers[turn];
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, null);
        if (n === 0) break;
        got += n;
      }
      if (got === 0) return;
      yield buf.subarray(0, got);
      if (got < buf.length) return;
    }
  } finally {
    closeSync(fd);
  }
}
