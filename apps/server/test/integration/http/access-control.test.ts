// Access control on a real server: token, allowed origins, WebSocket connections per address, request rate,
// security headers — over HTTP and on the WebSocket upgrade alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';
import { closeAll, tryUpgrade, type UpgradeResult } from '../../support/ws-upgrade.ts';

const TOKEN = 'test-token-0123456789';
const ALLOWED = 'https://bgp.example.net';

/** Upgrades once a per-address slot is free: tries every 50 ms for 2.5 s (slots free up as the server sees closes). */
async function upgradeWhenFree(url: string): Promise<Extract<UpgradeResult, { status: 101 }>> {
  let last: UpgradeResult | undefined;
  return waitUntil(
    async () => {
      last = await tryUpgrade(url);
      return 'ws' in last && last;
    },
    'a free connection slot',
    50 * 50,
    50,
    () => `no connection: ${last?.status} ${last && 'body' in last ? JSON.stringify(last.body) : ''}`,
  );
}

describe('access control', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      ['--allowed-origins', ALLOWED, '--max-clients-per-ip', '3', '--rate-limit', '0'],
      {},
      { BMPWATCH_AUTH_TOKEN: TOKEN },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(t.url + path, { headers });

  it('asks for the token on the API and metrics, not on health checks or the app', async () => {
    for (const path of ['/api/peers', '/api/routers', '/metrics', '/api/nothing-here']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ code: 'BMPWATCH_ERR_AUTH' });
    }
    expect((await get('/api/peers', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await get('/api/peers', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await get(`/api/peers?token=${TOKEN}`)).status).toBe(200);
    expect((await get('/api/health')).status).toBe(200);
    expect([200, 503]).toContain((await get('/api/health/ready')).status);
    expect((await get('/')).status).toBe(200);
    expect((await get('/peers/192.0.2.1')).status).toBe(200);
  });

  it('asks for the token on the WebSocket upgrade: query parameter or Authorization header', async () => {
    const none = await tryUpgrade(t.wsUrl);
    expect(none).toMatchObject({ status: 401, body: { code: 'BMPWATCH_ERR_AUTH' } });
    const wrong = await tryUpgrade(`${t.wsUrl}?token=nope-nope-nope-nope`);
    expect(wrong.status).toBe(401);
    const byQuery = await tryUpgrade(`${t.wsUrl}?token=${TOKEN}`);
    const byHeader = await tryUpgrade(t.wsUrl, { authorization: `Bearer ${TOKEN}` });
    expect([byQuery.status, byHeader.status]).toEqual([101, 101]);
    await closeAll([byQuery, byHeader]);
  });

  it('refuses browser pages from other origins', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const evil = await tryUpgrade(t.wsUrl, { ...auth, origin: 'https://evil.example' });
    expect(evil).toMatchObject({ status: 403, body: { code: 'BMPWATCH_ERR_ORIGIN' } });
    expect((await get('/api/peers', { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    const good = await tryUpgrade(t.wsUrl, { ...auth, origin: 'https://BGP.example.net' });
    expect(good.status).toBe(101);
    await closeAll([good]);
  });

  it('limits open WebSocket connections per address, and frees a slot when one closes', async () => {
    const url = `${t.wsUrl}?token=${TOKEN}`;
    const open: UpgradeResult[] = [];
    for (let i = 0; i < 3; i++) open.push(await tryUpgrade(url));
    expect(open.map((r) => r.status)).toEqual([101, 101, 101]);
    const fourth = await tryUpgrade(url);
    expect(fourth).toMatchObject({ status: 429, body: { code: 'BMPWATCH_ERR_CONNECTIONS' } });
    await closeAll(open.slice(0, 1));
    // The slot is freed when the server sees the TCP connection close.
    const again = await upgradeWhenFree(url);
    expect(again.status).toBe(101);
    await closeAll([...open.slice(1), again]);
  });

  it('sends security headers', async () => {
    const res = await get('/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});

describe('the RIS Live endpoint /v1/ws/', () => {
  let t: TestServer;
  let risUrl = '';
  beforeAll(async () => {
    t = await startTestServer(
      ['--allowed-origins', ALLOWED, '--max-clients-per-ip', '2', '--rate-limit', '0'],
      {},
      { BMPWATCH_AUTH_TOKEN: TOKEN },
    );
    risUrl = t.wsUrl.replace('/api/ws', '/v1/ws/');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is covered by the token, the origin list and the per-address limit (shared with /api/ws)', async () => {
    expect(await tryUpgrade(risUrl)).toMatchObject({ status: 401, body: { code: 'BMPWATCH_ERR_AUTH' } });
    const evil = await tryUpgrade(`${risUrl}?token=${TOKEN}`, { origin: 'https://evil.example' });
    expect(evil).toMatchObject({ status: 403, body: { code: 'BMPWATCH_ERR_ORIGIN' } });
    const ris = await tryUpgrade(`${risUrl}?client=test&token=${TOKEN}`, { origin: ALLOWED });
    const api = await tryUpgrade(`${t.wsUrl}?token=${TOKEN}`);
    expect([ris.status, api.status]).toEqual([101, 101]);
    const third = await tryUpgrade(`${risUrl}?token=${TOKEN}`);
    expect(third).toMatchObject({ status: 429, body: { code: 'BMPWATCH_ERR_CONNECTIONS' } });
    await closeAll([ris, api]);
  });

  it('answers oversized, invalid and deeply nested frames with ris_error and stays up', async () => {
    const { ws } = await upgradeWhenFree(`${risUrl}?token=${TOKEN}`); // slots of the previous test free up as they close
    const frames: { type: string; data: { message: string } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    const closed = new Promise<number>((res) => ws.once('close', (code) => res(code)));
    ws.send('{not json');
    ws.send(`{"type":${'['.repeat(300_000)}${']'.repeat(300_000)}}`); // crashed the server before
    ws.send('x'.repeat(1024 * 1024 + 1));
    ws.send(JSON.stringify({ type: 'ris_subscribe', data: { type: 'NOPE' } }));
    ws.send(JSON.stringify({ type: 'ping' }));
    await waitUntil(() => frames.length >= 5, 'five answers');
    expect(frames.map((f) => f.type)).toEqual(['ris_error', 'ris_error', 'ris_error', 'ris_error', 'pong']);
    expect(frames[1].data.message).toContain('nests deeper than 16');
    expect(frames[2].data.message).toContain('over the limit');
    // Beyond the hard limit the WebSocket layer closes the connection.
    ws.send('x'.repeat(4 * 1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});

describe('request rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(['--rate-limit', '5']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 past the limit, WebSocket upgrades included', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${t.url}/api/health`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const over = await fetch(`${t.url}/api/health`);
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'BMPWATCH_ERR_RATE_LIMIT' });
    expect((await tryUpgrade(t.wsUrl)).status).toBe(429);
  });
});

describe('defaults on a local start', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('need no token and accept any origin', async () => {
    expect((await fetch(`${t.url}/api/peers`)).status).toBe(200);
    const ws = await tryUpgrade(t.wsUrl, { origin: 'http://localhost:5173' });
    expect(ws.status).toBe(101);
    await closeAll([ws]);
  });
});
