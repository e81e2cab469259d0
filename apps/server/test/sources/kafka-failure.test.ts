import { describe, expect, it } from 'vitest';
import { backoffMs, classifyKafkaError, isTransient } from '../../src/sources/kafka-failure.ts';
import { matchTopics, missingTopics } from '../../src/sources/kafka-loop.ts';

/** Errors shaped as kafkajs throws them (its classes set `name`, protocol errors `type`, retries wrap `cause`). */
const kerr = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('classifyKafkaError', () => {
  it('names the kind an operator acts on, through kafkajs wrappers', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        kerr('KafkaJSNotImplemented', 'LZ4 compression not implemented'),
        'codec',
        /cannot decompress the batches: LZ4/,
      ],
      [
        kerr('KafkaJSNumberOfRetriesExceeded', 'retries', {
          cause: kerr('KafkaJSProtocolError', 'Not authorized to access topics', {
            type: 'TOPIC_AUTHORIZATION_FAILED',
          }),
        }),
        'authorization',
        /not authorized: Not authorized to access topics/,
      ],
      [
        kerr('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA256 authentication failed'),
        'authorization',
        /authentication failed/,
      ],
      [
        kerr('KafkaJSProtocolError', 'This server does not host this topic-partition', {
          type: 'UNKNOWN_TOPIC_OR_PARTITION',
        }),
        'topic',
        /topic missing/,
      ],
      [kerr('KafkaJSProtocolError', 'corrupt', { type: 'CORRUPT_MESSAGE' }), 'corrupt', /corrupt batch/],
      [new Error('Frame checksum does not match'), 'corrupt', /corrupt batch: Frame checksum/],
      [
        Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' }),
        'corrupt',
        /incorrect header/,
      ],
      [
        kerr('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9'),
        'broker',
        /broker unreachable/,
      ],
      [
        kerr('KafkaJSNumberOfRetriesExceeded', 'x', {
          cause: kerr('KafkaJSRequestTimeoutError', 'Request Fetch timed out'),
        }),
        'broker',
        /timed out/,
      ],
      [new Error('something else'), 'other', /something else/],
      ['a string', 'other', /a string/],
    ];
    for (const [err, kind, message] of cases) {
      const f = classifyKafkaError(err);
      expect(f.kind, String((err as Error).message ?? err)).toBe(kind);
      expect(f.message).toMatch(message);
    }
  });

  it('only a broker (or unknown) failure may clear by itself', () => {
    expect(isTransient('broker')).toBe(true);
    expect(isTransient('other')).toBe(true);
    for (const k of ['codec', 'corrupt', 'authorization', 'topic'] as const)
      expect(isTransient(k)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s to at most 30 s, within ±25 %', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffMs(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffMs(1, () => 0)).toBe(750);
    expect(backoffMs(1, () => 1)).toBe(1250);
    expect(backoffMs(50, () => 1)).toBe(37500);
  });
});

describe('topics', () => {
  it('a plain list: which exist and which are missing; a pattern: never missing', () => {
    const available = ['openbmp.bmp_raw', 'b', 'other'];
    expect(matchTopics(['openbmp.bmp_raw', 'later'], available)).toEqual(['openbmp.bmp_raw']);
    expect(missingTopics(['openbmp.bmp_raw', 'later', 'a.later'], available)).toEqual(['a.later', 'later']);
    expect(matchTopics(/^b|other$/, available)).toEqual(['b', 'other']);
    expect(missingTopics(/^nothing$/, available)).toEqual([]);
  });
});
