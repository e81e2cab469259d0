// The static file server against path traversal: raw request paths (not normalised by a client library),
// encoded and double-encoded, absolute, and symlinks leading out of the web directory. Nothing outside the
// built app is ever served, and no answer names a file system path.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.ts';

const SECRET = 'secret-outside-the-web-dir';

/** GET with the path exactly as given. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'bmpwatch-static-'));
  const web = join(root, 'web');
  const outside = join(root, 'outside');
  let t: TestServer;

  beforeAll(async () => {
    mkdirSync(web);
    mkdirSync(outside);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>bmpwatch</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    writeFileSync(join(root, 'secret.txt'), SECRET);
    symlinkSync(join(outside, 'secret.txt'), join(web, 'link.txt'));
    symlinkSync(outside, join(web, 'linked-dir'));
    t = await startTestServer(['--web-dir', web]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the app', async () => {
    expect((await rawGet(t.url, '/app.js')).body).toBe('console.log(1)');
  });

  it.each([
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/%252e%252e%252fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    `/${encodeURIComponent(join(root, 'secret.txt'))}`,
    '/assets/../../secret.txt',
    '/app.js%00.html',
    '/link.txt',
    '/linked-dir/secret.txt',
    '/linked-dir/../secret.txt',
  ])('does not serve %s from outside the web directory, nor name a path', async (path) => {
    const res = await rawGet(t.url, path);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('root:');
    expect(res.body).not.toContain(root);
    expect(res.status === 200 ? res.body : '').not.toMatch(/^[^<]*\//); // a 200 is only ever the app shell
  });

  it('does not name the web directory when the app is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bmpwatch-empty-'));
    const s = await startTestServer(['--web-dir', empty]);
    try {
      const res = await rawGet(s.url, '/');
      expect(res.body).toContain('pnpm build:web');
      expect(res.body).not.toContain(empty);
    } finally {
      await s.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
