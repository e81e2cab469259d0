// A RIS Live client outside this code base (Python websocket-client from Debian, python3-websocket, in the form
// of the RIS Live manual's example) pointed at ws://HOST:PORT/v1/ws/ receives UPDATE and RIS_PEER_STATE.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../support/ris_live_example.py', import.meta.url));

function missing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import websocket'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${PYTHON} with websocket-client is not installed (Debian: apt-get install python3-websocket)`;
  }
}

const unavailable = missing();
if (unavailable !== undefined) console.warn(`skipping the Python RIS Live client test: ${unavailable}`);

const P: TestPeer = { address: '192.0.2.31', asn: 64531, bgpId: '192.0.2.31' };

describe.skipIf(unavailable !== undefined)('RIS Live client in Python (websocket-client)', () => {
  let t: TestServer;
  let py: ChildProcess;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    py = spawn(PYTHON, [SCRIPT, `${t.url.replace(/^http/, 'ws')}/v1/ws/?client=py-test`, 'edge-py'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    py.stdout!.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
    });
    await waitUntil(() => t.server.risLive!.index.size > 0, 'the Python client to subscribe');
  });

  afterAll(async () => {
    py?.kill();
    await t?.close();
  });

  it('receives RIS_PEER_STATE and UPDATE messages from a router', async () => {
    const r = await TestRouter.connect(t.bmpPort);
    await r.send(
      msg.initiation('edge-py'),
      msg.peerUp(P),
      msg.announce(P, ['203.0.113.0/24'], [64531, 64500]),
      msg.withdraw(P, ['203.0.113.0/24']),
      msg.peerDown(P),
    );
    const parsed = () =>
      lines.map((l) => ({ type: l.slice(0, l.indexOf(' ')), data: JSON.parse(l.slice(l.indexOf(' ') + 1)) }));
    await waitUntil(
      () => parsed().filter((m) => m.data.type === 'RIS_PEER_STATE').length >= 3,
      'peer states',
      10_000,
    );
    const msgs = parsed();
    expect(msgs.every((m) => m.type === 'ris_message')).toBe(true);
    expect(msgs.map((m) => [m.data.type, m.data.state ?? null])).toEqual([
      ['RIS_PEER_STATE', 'connected'],
      ['OPEN', null],
      ['OPEN', null],
      ['RIS_PEER_STATE', 'up'],
      ['UPDATE', null],
      ['UPDATE', null],
      ['NOTIFICATION', null],
      ['RIS_PEER_STATE', 'down'],
    ]);
    expect(msgs[4].data).toMatchObject({
      peer: '192.0.2.31',
      peer_asn: '64531',
      host: 'edge-py',
      path: [64531, 64500],
      announcements: [{ next_hop: '192.0.2.31', prefixes: ['203.0.113.0/24'] }],
      raw: expect.stringMatching(/^F{32}/),
    });
    expect(msgs[5].data).toMatchObject({ withdrawals: ['203.0.113.0/24'], announcements: [] });
    await r.close();
  });
});
