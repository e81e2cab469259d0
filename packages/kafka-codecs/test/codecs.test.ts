import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  CODEC_NAMES,
  type CodecName,
  compressionType,
  type KafkaCodec,
  parseCodecList,
  registerKafkaCodecs,
  snappyCodec,
} from '../src/index.ts';
import { unxerial } from '../src/xerial.ts';

const codec = (name: CodecName) =>
  kafkajs.CompressionCodecs[compressionType(name) as 1 | 2 | 3 | 4]() as KafkaCodec;

/** Bytes that look like a batch of BMP: some repetition, some noise. */
function batch(n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; parts.length < n; i++)
    parts.push(Buffer.from([3, 0, 0, 0, 90, 0]), randomBytes(20), Buffer.alloc(64, i));
  return Buffer.concat(parts);
}

describe('Kafka codecs', () => {
  it('every codec round-trips through the table kafkajs reads', async () => {
    registerKafkaCodecs();
    for (const name of CODEC_NAMES) {
      const input = batch(3000);
      const packed = await codec(name).compress({ buffer: input });
      expect(packed.length, name).toBeLessThan(input.length);
      expect(Buffer.compare(await codec(name).decompress(packed), input), name).toBe(0);
    }
  });

  it("snappy also reads the Java client's xerial framing, block by block", async () => {
    const a = batch(500);
    const b = batch(700);
    const block = (x: Uint8Array) => {
      const c = snappyCompress(x);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(c.length);
      return Buffer.concat([len, c]);
    };
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const framed = Buffer.concat([header, block(a), block(b)]);
    expect(unxerial(framed)).toHaveLength(2);
    expect(Buffer.compare(await snappyCodec.decompress(framed), Buffer.concat([a, b]))).toBe(0);
    expect(() => unxerial(framed.subarray(0, framed.length - 3))).toThrow(/overruns/);
    expect(unxerial(Buffer.from('not xerial at all'))).toBeNull();
  });

  it('a disabled codec refuses the way kafkajs refuses one it lacks', () => {
    registerKafkaCodecs(['lz4']);
    expect(() => codec('lz4')).toThrow(expect.objectContaining({ name: 'KafkaJSNotImplemented' }));
    expect(() => codec('zstd')).not.toThrow();
    registerKafkaCodecs();
    expect(() => codec('lz4')).not.toThrow();
  });

  it('parses codec lists, refusing unknown names with the valid ones', () => {
    expect(parseCodecList(' LZ4, zstd ,')).toEqual(['lz4', 'zstd']);
    expect(() => parseCodecList('lz4,brotli')).toThrow(
      /unknown compression codec "brotli" \(one of gzip, snappy, lz4, zstd\)/,
    );
  });
});
