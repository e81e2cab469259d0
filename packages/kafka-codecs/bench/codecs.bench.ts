/**
 * `pnpm bench:codecs`: how fast each Kafka codec decompresses what a collector writes — batches of OpenBMP
 * raw_bmp messages of about 1 MiB, librdkafka's default batch size: the decode benchmark's generated Route
 * Monitoring (varied paths, prefixes and communities: it compresses like real feeds, where the lab capture's
 * few repeated routes would flatter every codec), first `--messages` (default 200,000) of them. Each codec compresses the batches once (as a producer would), then every batch is decompressed
 * `--repeat` times per round, codecs interleaved round by round; figures are medians over rounds.
 *
 * Prints per codec: compression ratio, decompression MB/s (uncompressed bytes) and OpenBMP messages/s, and
 * the margin over the pipeline's target (100,000 msgs/s), for the kafkajs codec objects the server uses; and,
 * as the peer measured in the same rounds, the other implementation of each codec (LZ4 and zstd: the pure-JS
 * lz4js and fzstd against our native ones; snappy: the native `snappy` binding against our snappyjs; gzip has
 * none: kafkajs itself uses zlib) — how each codec's implementation was chosen.
 */
import { readFileSync } from 'node:fs';
import { BmpFramer } from '@bmpwatch/bmp';
import { benchFiles } from '@bmpwatch/bmp/bench-data';
import * as fzstd from 'fzstd';
import kafkajs from 'kafkajs';
import * as lz4js from 'lz4js';
import snappy from 'snappy';
import {
  CODEC_NAMES,
  type CodecName,
  compressionType,
  type KafkaCodec,
  registerKafkaCodecs,
} from '../src/index.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : Number(process.argv[i + 1]);
};
const rounds = arg('rounds', 5);
const repeat = arg('repeat', 3);
const BATCH_BYTES = 1 << 20;
const TARGET = 100_000;

const files = benchFiles(arg('messages', 200_000), 1);
const framer = new BmpFramer({ format: 'openbmp' });
framer.push(new Uint8Array(readFileSync(files.openbmp)));
const values: Buffer[] = [];
while (framer.next() === true)
  values.push(Buffer.from(framer.buffer.subarray(framer.frameStart, framer.end)));

// Batches of whole messages, ~1 MiB each (Kafka compresses a record batch as one unit).
const batches: { bytes: Buffer; messages: number }[] = [];
for (let i = 0; i < values.length; ) {
  const parts: Buffer[] = [];
  let size = 0;
  while (i < values.length && size < BATCH_BYTES) {
    parts.push(values[i]);
    size += values[i].length;
    i++;
  }
  batches.push({ bytes: Buffer.concat(parts), messages: parts.length });
}
const totalBytes = batches.reduce((n, b) => n + b.bytes.length, 0);
const totalMessages = batches.reduce((n, b) => n + b.messages, 0);

registerKafkaCodecs();
const codecOf = (name: CodecName) =>
  kafkajs.CompressionCodecs[compressionType(name) as 1 | 2 | 3 | 4]() as KafkaCodec;

const compressed = new Map<CodecName, Buffer[]>();
for (const name of CODEC_NAMES) {
  const c = codecOf(name);
  compressed.set(name, await Promise.all(batches.map((b) => c.compress({ buffer: b.bytes }))));
}

/** The implementations not chosen, per codec. */
const PEERS: Partial<
  Record<CodecName, { name: string; decompress: (b: Buffer) => Uint8Array | Promise<Uint8Array> }>
> = {
  snappy: {
    name: 'snappy (native)',
    decompress: (b) => snappy.uncompress(b, { asBuffer: true }) as Promise<Buffer>,
  },
  lz4: { name: 'lz4js', decompress: (b) => lz4js.decompress(b) },
  zstd: { name: 'fzstd', decompress: (b) => fzstd.decompress(b) },
};

async function time(
  input: Buffer[],
  decompress: (b: Buffer) => Promise<Uint8Array> | Uint8Array,
  what: string,
): Promise<number> {
  const t0 = performance.now();
  for (let k = 0; k < repeat; k++) {
    // One batch at a time, as one partition's fetch is decoded.
    for (let i = 0; i < input.length; i++) {
      const out = await decompress(input[i]);
      if (out.length !== batches[i].bytes.length) throw new Error(`${what}: wrong length`);
    }
  }
  return (performance.now() - t0) / 1000 / repeat;
}

const seconds = new Map<CodecName, number[]>(CODEC_NAMES.map((n) => [n, []]));
const peerSeconds = new Map<CodecName, number[]>(CODEC_NAMES.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (const name of CODEC_NAMES) {
    const c = codecOf(name);
    const input = compressed.get(name)!;
    seconds.get(name)!.push(await time(input, (b) => c.decompress(b), name));
    const peer = PEERS[name];
    if (peer) peerSeconds.get(name)!.push(await time(input, peer.decompress, peer.name));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `input: ${fmt(totalMessages)} OpenBMP messages, ${(totalBytes / 1048576).toFixed(1)} MiB in ${batches.length} batches; ${rounds} rounds × ${repeat}`,
);
console.log(
  'codec    ratio   decompress MB/s   msgs/s        × target (100k msgs/s)   other implementation      ours ÷ other',
);
const json: Record<string, unknown> = {};
for (const name of CODEC_NAMES) {
  const s = median(seconds.get(name)!);
  const comp = compressed.get(name)!.reduce((n, b) => n + b.length, 0);
  const mbps = totalBytes / 1048576 / s;
  const mps = totalMessages / s;
  const peer = PEERS[name];
  const ps = peer ? median(peerSeconds.get(name)!) : null;
  const peerText =
    peer && ps
      ? `${peer.name} ${(totalBytes / 1048576 / ps).toFixed(0)} MB/s`.padEnd(25)
      : '(none)'.padEnd(25);
  console.log(
    `${name.padEnd(8)} ${(totalBytes / comp).toFixed(2).padStart(5)}×  ${mbps.toFixed(0).padStart(15)}   ${fmt(mps).padStart(11)}   ${(mps / TARGET).toFixed(1).padStart(5)}×                  ${peerText} ${ps ? `${(ps / s).toFixed(2)}×` : ''}`,
  );
  json[name] = {
    ratio: totalBytes / comp,
    mb_per_s: mbps,
    msgs_per_s: mps,
    ...(peer && ps ? { peer: peer.name, peer_mb_per_s: totalBytes / 1048576 / ps, vs_peer: ps / s } : {}),
  };
}
console.log(JSON.stringify({ bench: 'codecs', rounds, repeat, codecs: json }));
