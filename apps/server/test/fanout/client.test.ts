import { describe, expect, it } from 'vitest';
import { Client } from '../../src/fanout/client.ts';
import { FakeSocket } from '../support/fake-socket.ts';

const limits = { queueBytes: 100, queueEvents: 5, stateEvents: 2, maxBuffered: 1000, stallMs: 10_000 };

describe('Client queue', () => {
  it('batches queued events into one frame per flush', () => {
    const s = new FakeSocket();
    const c = new Client(1, s, limits);
    c.enqueueRoute(Buffer.from('{"a":1}'));
    c.enqueueRoute(Buffer.from('{"a":2}'));
    c.enqueuePeer(Buffer.from('{"p":1}'));
    c.enqueueRouter(Buffer.from('{"r":1}'));
    expect(c.flush(5)).toBe(2);
    expect(s.sent).toEqual([
      '{"v":1,"type":"batch","t":5,"routes":[{"a":1},{"a":2}],"peers":[{"p":1}],"routers":[{"r":1}]}',
    ]);
    expect(c.flush(6)).toBe(0);
    expect(s.sent).toHaveLength(1); // nothing to send, nothing sent
  });

  it('drops beyond the queue bounds and says so once it can send again', () => {
    const s = new FakeSocket();
    const c = new Client(1, s, limits);
    for (let i = 0; i < 8; i++) c.enqueueRoute(Buffer.from(`{"i":${i}}`)); // 5 fit by count
    expect(c.queuedRoutes).toBe(5);
    c.enqueueRoute(Buffer.from('x'.repeat(200))); // too big for the byte bound
    expect(c.dropped).toBe(4);
    // The socket is backed up: nothing is sent, the queue stays bounded.
    s.bufferedAmount = 5000;
    expect(c.flush(1)).toBe(0);
    expect(s.sent).toEqual([]);
    c.enqueueRoute(Buffer.from('{"late":1}'));
    expect(c.dropped).toBe(5);
    expect(c.sendIfWritable('{"type":"rates"}')).toBe(false);
    s.bufferedAmount = 0;
    expect(c.flush(2)).toBe(5);
    expect(JSON.parse(s.sent[0])).toEqual({ v: 1, type: 'dropped', count: 5, reason: 'slow_client' });
    expect(JSON.parse(s.sent[1]).routes).toHaveLength(5);
    expect(c.dropped).toBe(0);
    expect(c.droppedTotal).toBe(5);
  });

  it('bounds peer and router events too', () => {
    const c = new Client(1, new FakeSocket(), limits);
    for (let i = 0; i < 4; i++) c.enqueuePeer(Buffer.from('{}'));
    expect(c.dropped).toBe(2);
  });

  it('closes a client whose socket stays backed up past the stall limit, after telling it why', () => {
    const s = new FakeSocket();
    const closes = s.closeCodes;
    const c = new Client(1, s, limits);
    s.bufferedAmount = 5000;
    c.flush(100);
    c.flush(109.9);
    s.bufferedAmount = 0; // it read a little: the stall starts again
    c.flush(110);
    s.bufferedAmount = 5000;
    c.flush(111);
    c.flush(120.9);
    expect(closes).toEqual([]);
    c.flush(121);
    c.flush(122);
    expect(closes).toEqual([4001]);
    expect(c.closedAsSlow).toBe(true);
    expect(s.sent.map((f) => JSON.parse(f))).toEqual([
      expect.objectContaining({ type: 'error', code: 'WS_ERR_SLOW_CLIENT' }),
    ]);
  });
});
