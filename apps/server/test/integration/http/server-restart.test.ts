// The server process restarted on the same port, gracefully (SIGTERM: clients get close code 1001) and hard
// (SIGKILL: the connection just drops): a client that follows docs/websocket.md ("Reconnecting") comes back on
// its own, subscribes again with its filter, and receives what matches from the new process — nothing else.
import { afterAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../../../bench/server-process.ts';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { freePort } from '../../support/ports.ts';
import { TestClient } from '../../support/ws-client.ts';

const A: TestPeer = { address: '192.0.2.21', asn: 64521, bgpId: '192.0.2.21' };
const FILTER = { prefixes: ['203.0.113.0/24'] };

describe('server restart', () => {
  const running: ServerProcess[] = [];
  let client: TestClient | null = null;
  afterAll(async () => {
    await client?.close();
    for (const s of running) await s.stop();
  });

  it('clients reconnect and resubscribe by themselves after a graceful and a hard restart', async () => {
    const port = await freePort();
    const bmpPort = await freePort();
    const start = async () => {
      const s = await ServerProcess.start(['--port', String(port), '--bmp-port', String(bmpPort)]);
      running.push(s);
      return s;
    };
    /** A router session on the current process: one matching and one non-matching announcement. */
    const feed = async (matching: string) => {
      const r = await TestRouter.connect(bmpPort);
      await r.send(
        msg.initiation('restart-r'),
        msg.peerUp(A),
        msg.announce(A, ['198.51.100.0/24'], [64521, 64500]),
        msg.announce(A, [matching], [64521, 64500]),
      );
      await c.waitFor(() => c.routes.some((e) => e.prefix === matching), `${matching} at the client`, 30_000);
      await r.close();
    };
    const hellos = () => c.frames.filter((f) => f.type === 'hello').length;
    const resubscribed = () =>
      c.frames.filter((f) => f.type === 'subscribed' && String(f.id).startsWith('re'));

    const first = await start();
    client = await TestClient.connect(`ws://127.0.0.1:${port}/api/ws`, { reconnect: true });
    const c = client;
    await c.subscribe(FILTER);
    await feed('203.0.113.0/25');

    // Graceful: SIGTERM, the server closes every connection with 1001; a new process on the same port.
    await first.stop();
    await c.waitFor(() => c.closeCodes.length === 1, 'the close of the first connection');
    expect(c.closeCodes).toEqual([1001]);
    const second = await start();
    await c.waitFor(() => hellos() === 2 && resubscribed().length === 1, 'hello and resubscribe', 30_000);
    expect(resubscribed()[0].filter).toMatchObject({ prefixes: [{ prefix: '203.0.113.0/24' }] });
    await feed('203.0.113.128/25');

    // Hard: SIGKILL, no close frame (1006 at the client); again a new process on the same port.
    const exited = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGKILL');
    await exited;
    await c.waitFor(() => c.closeCodes.length === 2, 'the drop of the second connection');
    expect(c.closeCodes[1]).toBe(1006);
    await start();
    await c.waitFor(
      () => hellos() === 3 && resubscribed().length === 2,
      'hello and resubscribe again',
      30_000,
    );
    await feed('203.0.113.64/26');

    // Exactly the matching routes, one each: the filter was in force on every connection.
    expect(c.routes.map((e) => e.prefix)).toEqual(['203.0.113.0/25', '203.0.113.128/25', '203.0.113.64/26']);
    expect(c.errors).toEqual([]);
  }, 180_000);
});
