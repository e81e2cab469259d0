import { describe, expect, it } from 'vitest';
import {
  batchFrameBuffer,
  errorFrame,
  filterSize,
  parseClientFrame,
  pongFrame,
  subscribedFrame,
} from '../../src/fanout/protocol.ts';

describe('client frames', () => {
  it('parses subscribe (with a normalised filter), unsubscribe and ping, echoing ids', () => {
    expect(parseClientFrame('{"type":"subscribe","id":"a","filter":{"origin_asns":[2,1,2]}}')).toEqual({
      type: 'subscribe',
      id: 'a',
      filter: { origin_asns: [1, 2] },
    });
    expect(parseClientFrame('{"type":"subscribe"}')).toEqual({ type: 'subscribe', id: null, filter: {} });
    expect(parseClientFrame('{"type":"unsubscribe","id":"u"}')).toEqual({ type: 'unsubscribe', id: 'u' });
    expect(parseClientFrame('{"type":"ping","extra":true}')).toEqual({ type: 'ping', id: null });
  });

  it('says what is wrong, with stable codes', () => {
    expect(parseClientFrame('nope')).toMatchObject({ code: 'WS_ERR_BAD_JSON' });
    expect(parseClientFrame('[1]')).toMatchObject({
      code: 'WS_ERR_BAD_MESSAGE',
      message: 'frame must be a JSON object with a "type"',
    });
    expect(parseClientFrame('{}')).toMatchObject({
      code: 'WS_ERR_BAD_MESSAGE',
      message: 'frame has no "type"',
    });
    expect(parseClientFrame('{"type":"x","id":"i"}')).toMatchObject({ code: 'WS_ERR_BAD_MESSAGE', id: 'i' });
    expect(parseClientFrame('{"type":"ping","id":5}')).toMatchObject({
      code: 'WS_ERR_BAD_MESSAGE',
      message: '"id" must be a string, got number',
    });
    expect(parseClientFrame('{"type":"subscribe","id":"s","filter":{"kinds":["x"]}}')).toMatchObject({
      code: 'WS_ERR_BAD_FILTER',
      id: 's',
    });
  });

  it('refuses hostile frames cheaply and quotes back only a little of them', () => {
    // JSON.parse would accept these, but the error message quoting "type" would overflow JSON.stringify.
    const deep = `{"type":${'['.repeat(400_000)}${']'.repeat(400_000)}}`;
    expect(parseClientFrame(deep)).toMatchObject({ code: 'WS_ERR_TOO_DEEP' });
    expect(parseClientFrame('['.repeat(1 << 20))).toMatchObject({ code: 'WS_ERR_TOO_DEEP' });
    const nestedKinds = `{"type":"subscribe","filter":{"kinds":[${'['.repeat(20)}${']'.repeat(20)}]}}`;
    expect(parseClientFrame(nestedKinds)).toMatchObject({ code: 'WS_ERR_TOO_DEEP' });
    expect(parseClientFrame(`{"type":"ping","id":"${'i'.repeat(257)}"}`)).toMatchObject({
      code: 'WS_ERR_BAD_MESSAGE',
      message: '"id" is longer than 256 characters',
    });
    const prefixes = Array.from({ length: 100_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(parseClientFrame(JSON.stringify({ type: 'subscribe', filter: { prefixes } }))).toMatchObject({
      code: 'WS_ERR_BAD_FILTER',
      message: 'prefixes: 100000 given, at most 10000 allowed',
    });
    const long = parseClientFrame(`{"type":"${'x'.repeat(900_000)}"}`);
    expect(long).toMatchObject({ code: 'WS_ERR_BAD_MESSAGE' });
    const frame = JSON.parse(errorFrame('WS_ERR_BAD_MESSAGE', (long as { message: string }).message, null));
    expect(frame.message.length).toBeLessThanOrEqual(301);
  });

  it('prices a subscription by the values it indexes', () => {
    expect(filterSize({})).toBe(0);
    expect(
      filterSize({
        prefixes: [{ prefix: '10.0.0.0/8', match: 'more' }],
        origin_asns: [1, 2],
        kinds: ['peer'],
      }),
    ).toBe(3);
  });
});

describe('server frames', () => {
  it('carry v: 1 and the documented fields', () => {
    expect(JSON.parse(errorFrame('WS_ERR_BAD_JSON', 'm', null))).toEqual({
      v: 1,
      type: 'error',
      code: 'WS_ERR_BAD_JSON',
      message: 'm',
      id: null,
    });
    expect(JSON.parse(pongFrame('p', 12.5))).toEqual({ v: 1, type: 'pong', id: 'p', t: 12.5 });
    expect(JSON.parse(subscribedFrame('s', {}))).toEqual({ v: 1, type: 'subscribed', id: 's', filter: {} });
  });

  it('assemble batches from shared event buffers', () => {
    const frame = batchFrameBuffer(
      7.5,
      [Buffer.from('{"a":1}'), Buffer.from('{"b":"é"}')],
      [],
      [Buffer.from('{"r":1}')],
    );
    expect(JSON.parse(frame.toString())).toEqual({
      v: 1,
      type: 'batch',
      t: 7.5,
      routes: [{ a: 1 }, { b: 'é' }],
      peers: [],
      routers: [{ r: 1 }],
    });
  });
});
