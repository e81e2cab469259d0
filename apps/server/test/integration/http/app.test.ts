// The HTTP side: health, state API, rates, metrics and the static web app, with fastify.inject and port 0.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/app.ts';
import { epochSecond } from '../../../src/state/rates.ts';
import { startTestServer, type TestServer, testConfig } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';

describe('HTTP API with the demo feed', () => {
  let t: TestServer;
  let startedAt = 0;
  beforeAll(async () => {
    startedAt = epochSecond();
    t = await startTestServer(['--demo', 'on', '--demo-prefixes', '200', '--web-dir', '/nonexistent']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports liveness, readiness and each source', async () => {
    const res = await t.server.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', live: true, ready: true });
    expect(body.sources.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['demo', 'ok'],
      ['bmp-tcp', 'ok'],
    ]);
    expect((await t.server.app.inject('/api/health/ready')).statusCode).toBe(200);
  });

  it('lists routers and peers from the demo feed, and filters peers', async () => {
    const peers = await waitUntil(async () => {
      const p = (await t.server.app.inject('/api/peers')).json().peers as { state: string; router: string }[];
      return p.length === 12 ? p : undefined;
    }, '12 demo peers');
    expect(peers.every((p) => p.state === 'up')).toBe(true);
    const routers = (await t.server.app.inject('/api/routers')).json().routers;
    expect(routers.map((r: { name: string }) => r.name)).toEqual([
      'demo-ams-r1',
      'demo-fra-r1',
      'demo-lon-r1',
    ]);
    const one = (await t.server.app.inject('/api/peers?router=192.0.2.2')).json().peers;
    expect(one).toHaveLength(4);
    expect((await t.server.app.inject('/api/peers?state=down')).json().peers.length).toBeLessThan(12);
  });

  it('serves rates for global, router and peer scopes', async () => {
    const g = await waitUntil(async () => {
      const r = (await t.server.app.inject('/api/rates?window=30')).json();
      return r.series.some((p: { a: number }) => p.a > 0) ? r : undefined;
    }, 'non-zero global rates');
    expect(g).toMatchObject({ interval_s: 1, scope: 'global', window: 30 });
    // The server started moments ago: only the seconds since then, none zero-filled from before.
    const ts = (series: { t: number }[]) => series.map((p) => p.t);
    expect(g.series.length).toBeGreaterThan(0);
    expect(g.series.length).toBeLessThanOrEqual(Math.min(30, epochSecond() - startedAt));
    expect(g.series[0].t).toBeGreaterThanOrEqual(startedAt);
    expect(ts(g.series)).toEqual(ts(g.series).map((_, i) => g.series[0].t + i));
    const router = (await t.server.app.inject('/api/rates?scope=router&id=192.0.2.1')).json().series;
    expect(router.length).toBeLessThanOrEqual(epochSecond() - startedAt);
    expect(router.every((p: { t: number }) => p.t >= startedAt)).toBe(true);
    const peer = (await t.server.app.inject('/api/peers')).json().peers[0].key;
    expect(
      (await t.server.app.inject(`/api/rates?scope=peer&id=${encodeURIComponent(peer)}&window=5`)).statusCode,
    ).toBe(200);
    expect((await t.server.app.inject('/api/rates?scope=router&id=nope')).statusCode).toBe(404);
    expect((await t.server.app.inject('/api/rates?window=0')).statusCode).toBe(400);
    expect((await t.server.app.inject('/api/rates?scope=moon')).statusCode).toBe(400);
  });

  it('exposes Prometheus metrics', async () => {
    const text = (await t.server.app.inject('/metrics')).body;
    expect(text).toMatch(/bmpwatch_messages_in_total\{source="demo"\} [1-9]/);
    expect(text).toContain('bmpwatch_ws_clients 0');
    expect(text).toContain('bmpwatch_rislive_clients 0');
    expect(text).toContain('bmpwatch_source_up{source="demo"} 1');
    expect(text).toContain('bmpwatch_route_events_total{kind="announce"}');
    expect(text).toContain('bmpwatch_process_resident_memory_bytes');
  });

  it('says how to build the dashboard when it is missing, and 404s unknown API paths', async () => {
    const page = await t.server.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('run `pnpm build:web`'.replace('run', 'Run'));
    expect((await t.server.app.inject('/peers/some/route')).body).toContain('pnpm build:web');
    const api = await t.server.app.inject('/api/nope');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: 'no route GET /api/nope' });
  });
});

describe('static web app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bmpwatch-web-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves files and falls back to index.html for client-side routes', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bmpwatch</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const server = await buildServer(testConfig(['--web-dir', dir, '--no-bmp']), { logger: false });
    try {
      expect((await server.app.inject('/')).body).toContain('<title>bmpwatch</title>');
      expect((await server.app.inject('/app.js')).body).toBe('console.log(1)');
      const spa = await server.app.inject('/peers/192.0.2.1');
      expect(spa.statusCode).toBe(200);
      expect(spa.headers['content-type']).toContain('text/html');
      expect((await server.app.inject('/missing.js')).statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('sees a rebuild while running: new assets, a fresh index.html, and a first build after start', async () => {
    const web = mkdtempSync(join(tmpdir(), 'bmpwatch-rebuild-'));
    const server = await buildServer(testConfig(['--web-dir', web, '--no-bmp']), { logger: false });
    try {
      // Not built yet: the how-to-build page, for the root and for client-side routes.
      expect((await server.app.inject('/')).body).toContain('pnpm build:web');
      expect((await server.app.inject('/peers')).body).toContain('pnpm build:web');

      // First build, after the server started.
      mkdirSync(join(web, 'assets'));
      writeFileSync(join(web, 'assets', 'index-aaaa.js'), 'console.log("a")');
      writeFileSync(join(web, 'index.html'), '<script src="/assets/index-aaaa.js"></script>');
      expect((await server.app.inject('/')).body).toContain('index-aaaa.js');
      expect((await server.app.inject('/assets/index-aaaa.js')).body).toBe('console.log("a")');

      // Rebuild: dist replaced, assets renamed.
      rmSync(join(web, 'assets'), { recursive: true });
      mkdirSync(join(web, 'assets'));
      writeFileSync(join(web, 'assets', 'index-bbbb.js'), 'console.log("b")');
      writeFileSync(join(web, 'index.html'), '<script src="/assets/index-bbbb.js"></script>');
      const js = await server.app.inject('/assets/index-bbbb.js');
      expect(js.statusCode).toBe(200);
      expect(js.body).toBe('console.log("b")');
      expect(js.headers['content-type']).toContain('javascript');
      expect((await server.app.inject('/')).body).toContain('index-bbbb.js');
      const spa = await server.app.inject('/routers/192.0.2.1');
      expect(spa.statusCode).toBe(200);
      expect(spa.body).toContain('index-bbbb.js');
      expect((await server.app.inject('/assets/index-aaaa.js')).statusCode).toBe(404);
      expect((await server.app.inject('/api/nope')).json()).toEqual({ error: 'no route GET /api/nope' });
    } finally {
      await server.close();
      rmSync(web, { recursive: true, force: true });
    }
  });

  it('defaults to apps/web/dist', () => {
    expect(testConfig().webDir).toBe(fileURLToPath(new URL('../../../../web/dist', import.meta.url)));
  });
});
