// A RIS Live client that stops reading is told it is too slow and disconnected, as RIS Live does; a client
// reading alongside it gets every message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { RisLiveClient } from '../../support/ris-live-client.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

const A: TestPeer = { address: '192.0.2.51', asn: 64551, bgpId: '192.0.2.51' };
const MESSAGES = 20_000;
const LIMIT = 256 * 1024;

describe('slow RIS Live clients', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(['--ris-live-max-buffered', String(LIMIT)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('get a final ris_error and a close once their backlog passes --ris-live-max-buffered', async () => {
    const fast = await RisLiveClient.connect(t.url, 'fast');
    const slow = await RisLiveClient.connect(t.url, 'slow');
    await fast.subscribe({ type: 'UPDATE' });
    await slow.subscribe({ type: 'UPDATE' });
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();

    const r = await TestRouter.connect(t.bmpPort);
    await r.send(msg.initiation('slow-test'), msg.peerUp(A));
    const CHUNK = 500;
    for (let m = 0; m < MESSAGES; m += CHUNK) {
      const chunk: Uint8Array[] = [];
      for (let k = m; k < m + CHUNK; k++) {
        const prefixes = [];
        for (let i = 0; i < 20; i++) prefixes.push(`10.${k >> 8}.${k & 255}.${i * 8}/29`);
        chunk.push(msg.announce(A, prefixes, [64551, 64500 + (k % 7), 65000 + (k % 13)]));
      }
      await r.send(...chunk);
      await fast.waitFor(
        () => fast.messages().length >= m + CHUNK,
        `${m + CHUNK} messages at the fast client`,
      );
    }
    expect(fast.messages()).toHaveLength(MESSAGES);
    expect(fast.closed).toBe(false);
    expect(t.server.risLive!.slowDisconnects).toBe(1);
    expect(t.server.risLive!.clients.size).toBe(1);

    socket.resume();
    await slow.waitFor(() => slow.closed, 'the slow client to be closed', 60_000);
    expect(slow.closeCode).toBe(1008);
    expect(slow.frames.at(-1)).toEqual({
      type: 'ris_error',
      data: { message: expect.stringMatching(/^client too slow: more than 262144 bytes/) },
    });
    // What it did get is a gap-free prefix of the stream, ending where the server gave up on it.
    const got = slow.messages();
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(MESSAGES);
    expect(got.map((m) => m.id)).toEqual(
      fast
        .messages()
        .slice(0, got.length)
        .map((m) => m.id),
    );
    await r.close();
    await fast.close();
  });
});
