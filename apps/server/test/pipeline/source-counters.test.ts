/** A source's counters: messages, and when the first and the latest arrived, by the pipeline's clock. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { routerConnection } from '../../src/pipeline/decode.ts';
import { type EventSink, Pipeline } from '../../src/pipeline/ingest.ts';
import { msg } from '../support/bmp-router.ts';

describe('source counters', () => {
  it('keep the first and latest message times of each source', () => {
    let now = 1_700_000_000_000;
    const sink: EventSink = { routes() {}, scanned() {}, prefersScan: true, peer() {}, router() {} };
    const pipeline = new Pipeline(sink, Fastify({ logger: false }).log, () => now);
    const conn = routerConnection('bmp-tcp', 'bmp-tcp', '198.51.100.1', '198.51.100.1');
    expect(pipeline.counters.get('bmp-tcp')).toBeUndefined();
    pipeline.bmp(conn, msg.initiation('r1'));
    now += 2_500;
    pipeline.bmp(conn, msg.initiation('r1'));
    expect(pipeline.counters.get('bmp-tcp')).toMatchObject({
      messages: 2,
      firstMessageAt: 1_700_000_000_000,
      lastMessageAt: 1_700_000_002_500,
    });
  });
});
