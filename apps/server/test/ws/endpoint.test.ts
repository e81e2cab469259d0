// The shared WebSocket endpoint skeleton: frame limits on an injected clock, and one --max-clients for both
// endpoints together (a real server, real sockets).
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FrameLimiter } from '../../src/ws/endpoint.ts';
import {
  CLIENT_BYTES_BURST,
  MAX_CLIENT_FRAME_BYTES,
  MAX_CLIENT_FRAMES_PER_SECOND,
} from '../../src/ws/limits.ts';
import { startTestServer } from '../support/server.ts';

const T0 = 1_700_000_000_000;

/** Sends a RIS Live ping: resolves with the answer, or with the close code if the server closes instead. */
function answerToPing(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.once('close', (code) => resolve(code));
    ws.send(JSON.stringify({ type: 'ping' }));
  });
}

describe('FrameLimiter (injected clock)', () => {
  it('counts frames per one-second window, telling the client once per window', () => {
    const l = new FrameLimiter(T0);
    for (let i = 0; i < MAX_CLIENT_FRAMES_PER_SECOND; i++) expect(l.check(10, T0 + i)).toBeNull();
    expect(l.check(10, T0 + 500)).toMatchObject({
      reason: 'rate_limit',
      message: expect.stringMatching(/frames within one second/),
    });
    expect(l.check(10, T0 + 600)).toEqual({ reason: 'rate_limit', message: null });
    expect(l.check(10, T0 + 1000)).toBeNull();
  });

  it('refuses frames over the size limit, and bytes over the budget until it refills', () => {
    const l = new FrameLimiter(T0);
    expect(l.check(MAX_CLIENT_FRAME_BYTES + 1, T0)).toMatchObject({ reason: 'too_large' });
    // Two bursts' worth in one instant: the budget runs out, then refills with time (256 KiB/s).
    let t = T0;
    let refused = 0;
    for (let i = 0; i < 3; i++) {
      t += 1000; // a new frame window each time, so only the byte budget speaks
      if (l.check(CLIENT_BYTES_BURST / 2 + 1, t) !== null) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    expect(l.check(1000, t + 60_000)).toBeNull();
  });
});

describe('Admission', () => {
  it('one --max-clients across /api/ws and /v1/ws/ together', async () => {
    const t = await startTestServer(['--no-bmp', '--max-clients', '2']);
    const open = (path: string) =>
      new Promise<{ ws: WebSocket; closed: Promise<number> }>((resolve, reject) => {
        const ws = new WebSocket(t.url.replace(/^http/, 'ws') + path);
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.on('open', () => resolve({ ws, closed }));
        ws.on('error', reject);
      });
    try {
      const a = await open('/api/ws');
      const b = await open('/v1/ws/');
      const c = await open('/api/ws');
      expect(await c.closed).toBe(1013);
      const d = await open('/v1/ws/');
      expect(await d.closed).toBe(1013);
      a.ws.close();
      await a.closed;
      // A place is free again, for either endpoint: the new connection is served (its ping is answered), where a
      // refused one is closed before any frame is read. An answer, not a pause, so a slow machine cannot hide it.
      const e = await open('/v1/ws/');
      expect(await answerToPing(e.ws)).toEqual({ type: 'pong', data: null });
      e.ws.close();
      b.ws.close();
    } finally {
      await t.close();
    }
  });
});
