/**
 * The web app's built files (apps/web/dist) with a single-page-app fallback to index.html. When the app is not
 * built, every non-API page says how to build it instead of a bare 404.
 *
 * Nothing about the directory is cached at start: files are looked up per request (@fastify/static in wildcard
 * mode), so a rebuild of the web app while the server runs (new hashed asset names, a new index.html) is served
 * at once, and so is a first build after the server started without one.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { pathOf } from './access-rules.ts';

export interface StaticOptions {
  webDir: string;
}

// Names no directory: the server's file system layout is none of a visitor's business (the log has it).
const NOT_BUILT_TEXT =
  'bmpwatch: the dashboard is not built.\n\n' +
  'No index.html in the web directory (--web-dir).\n' +
  'Run `pnpm build:web` (or `pnpm start`, which builds it first), then reload.\n\n' +
  'The API works meanwhile: /api/health, /api/routers, /api/peers, /api/rates, /metrics, ws /api/ws.\n';

/**
 * Whether a file the static server is about to send really lies inside the web directory once symlinks are
 * resolved (`..` and encoded forms are already refused by @fastify/static; a symlink would still lead out).
 * A path that does not exist is let through: it ends as a 404.
 */
function insideDir(root: string, path: string): boolean {
  let real: string;
  try {
    real = realpathSync(join(root, path));
  } catch {
    return true;
  }
  let base: string;
  try {
    base = realpathSync(root);
  } catch {
    return false;
  }
  return real === base || real.startsWith(base + sep);
}

/**
 * Not access-rules.ts's isApiPath, whose answers differ: this one is given the URL with its query (`/api?x` is
 * not API here), takes anything that starts with /metrics (/metrics/x, /metricsx) and not /v1/ (RIS Live).
 */
function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/metrics');
}

export async function staticPlugin(app: FastifyInstance, { webDir }: StaticOptions): Promise<void> {
  // A missing directory is normal before the first build (the not-built page says so): no warning for it.
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: true,
    suppressWarning: true,
    allowedPath: (path) => insideDir(webDir, path),
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET' || isApi(req.url)) {
      reply.code(404).send({ error: `no route ${req.method} ${pathOf(req.url)}` });
      return;
    }
    if (!existsSync(join(webDir, 'index.html'))) {
      req.log.debug({ webDir }, 'web app not built');
      reply.code(200).type('text/plain; charset=utf-8').send(NOT_BUILT_TEXT);
      return;
    }
    // A missing asset (app.js, logo.svg) is a 404; a route that merely contains dots (/peers/192.0.2.1) is not.
    if (/\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(pathOf(req.url))) {
      reply.code(404).type('text/plain; charset=utf-8').send(`not found: ${req.url}`);
      return;
    }
    // Client-side routes (/peers, /routers/…) get the app shell, read afresh; the app routes itself.
    reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
