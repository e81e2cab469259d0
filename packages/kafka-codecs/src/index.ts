/// <reference path="./types/untyped.d.ts" />
/**
 * Kafka compression for kafkajs: the codecs librdkafka producers (OpenBMP and RouteViews collectors, kcat) use.
 * kafkajs ships gzip only and throws KafkaJSNotImplemented for the rest, which made a consumer of a snappy or
 * LZ4 topic read nothing. `registerKafkaCodecs()` fills kafkajs's codec table: native LZ4 and zstd (Rust / C,
 * N-API; about 5× their pure-JavaScript peers in `pnpm bench:codecs`), and snappyjs for snappy — the native
 * snappy binding's async calls ranged from 0.7× to 2.4× snappyjs's speed run to run, while snappyjs (≈ 390 MB/s,
 * 17× what the pipeline needs) runs steadily and uses no thread-pool memory. bmpwatch runs its Kafka consumer in
 * a worker thread, so no decompression ever runs on the thread that handles the pipeline.
 */

import zstd from '@mongodb-js/zstd';
import kafkajs, { type CompressionTypes } from 'kafkajs';
import lz4 from 'lz4-napi';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';
import { unxerial } from './xerial.ts';

// kafkajs is CommonJS and its codec table is not among the names Node can see statically: take them off the
// default export.
const { CompressionCodecs } = kafkajs;

export const CODEC_NAMES = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CodecName = (typeof CODEC_NAMES)[number];

/** kafkajs's codec shape: compress gets its Encoder (bytes in `.buffer`), decompress a Buffer. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

type CodecType = 1 | 2 | 3 | 4;

/** kafkajs's CompressionTypes values (its enum is type-only under `import type`-free CommonJS interop). */
const TYPE: Record<CodecName, CodecType> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export const snappyCodec: KafkaCodec = {
  // Raw snappy, as librdkafka writes for record batches (the Java client's xerial framing is read, not written).
  compress: async (e) => toBuffer(snappyCompress(e.buffer)),
  async decompress(buffer) {
    const blocks = unxerial(buffer);
    if (blocks === null) return toBuffer(snappyUncompress(buffer));
    return Buffer.concat(blocks.map((b) => snappyUncompress(b)));
  },
};

export const lz4Codec: KafkaCodec = {
  // Record batches (message format v2) use the standard LZ4 frame format (KIP-57), with checksums.
  compress: (e) => lz4.compressFrame(e.buffer),
  // Synchronous: the caller is bmpwatch's Kafka worker thread; the async variant's thread-pool hop cost throughput
  // and, through per-thread malloc arenas, memory (bench:pipeline, docs/benchmarks.md).
  decompress: async (buffer) => lz4.decompressFrameSync(buffer),
};

export const zstdCodec: KafkaCodec = {
  compress: (e) => zstd.compress(e.buffer, 3),
  decompress: (buffer) => zstd.decompress(buffer),
};

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const gzipDefault = CompressionCodecs[1];

/** A codec that refuses, the way kafkajs refuses the codecs it lacks (for `disabled` below, and tests). */
function unavailable(name: CodecName): () => never {
  return () => {
    const e = new Error(`${name} compression is disabled in this process`);
    // kafkajs's own name for "no such codec": the Kafka source classifies failures by it.
    e.name = 'KafkaJSNotImplemented';
    throw e;
  };
}

/**
 * Registers every codec with kafkajs (process-wide: kafkajs keeps one table). `disabled` leaves some out, the
 * way an install without them would behave — for tests and for operators who must prove what a consumer
 * without a codec does.
 */
export function registerKafkaCodecs(disabled: readonly CodecName[] = []): void {
  const impl: Record<CodecName, () => KafkaCodec> = {
    gzip: gzipDefault,
    snappy: () => snappyCodec,
    lz4: () => lz4Codec,
    zstd: () => zstdCodec,
  };
  for (const name of CODEC_NAMES)
    CompressionCodecs[TYPE[name]] = disabled.includes(name) ? unavailable(name) : impl[name];
}

/** Parses a comma list of codec names; throws with the valid names on anything else. */
export function parseCodecList(text: string): CodecName[] {
  const out: CodecName[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!(CODEC_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown compression codec "${raw.trim()}" (one of ${CODEC_NAMES.join(', ')})`);
    out.push(name as CodecName);
  }
  return out;
}

/** kafkajs's CompressionTypes value for a codec name ('none' for no compression). */
export function compressionType(name: CodecName | 'none'): CompressionTypes {
  return (name === 'none' ? 0 : TYPE[name]) as CompressionTypes;
}
