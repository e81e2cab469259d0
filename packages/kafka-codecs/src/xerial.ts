/**
 * The xerial snappy-java stream framing, which Kafka's Java producer wraps around snappy: a 16-byte header
 * (magic "\x82SNAPPY\0", version, compatible version), then blocks of [u32 big-endian length][raw snappy].
 * librdkafka writes raw snappy and reads both, so a consumer must too.
 */
const MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];
const HEADER = 16;

/** The raw snappy blocks of a xerial-framed buffer, or null when the buffer is not xerial-framed. */
export function unxerial(b: Uint8Array): Uint8Array[] | null {
  if (b.length < HEADER) return null;
  for (let i = 0; i < MAGIC.length; i++) if (b[i] !== MAGIC[i]) return null;
  const blocks: Uint8Array[] = [];
  let at = HEADER;
  while (at < b.length) {
    if (at + 4 > b.length) throw new Error('xerial snappy: truncated block length');
    const len = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    at += 4;
    if (at + len > b.length) throw new Error(`xerial snappy: block of ${len} bytes overruns the buffer`);
    blocks.push(b.subarray(at, at + len));
    at += len;
  }
  return blocks;
}
