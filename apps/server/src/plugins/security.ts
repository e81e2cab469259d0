/**
 * Access control for every route, the WebSocket endpoints included (their upgrade requests pass through the same
 * onRequest hooks before the upgrade): security headers, a request rate limit per address, an allowed-origins
 * list, an optional token, and a cap on WebSocket connections per address. Registered at the root (not
 * encapsulated), so routes registered by any plugin are covered. Each refusal is an HTTP error with a code
 * from errors.ts; a refused WebSocket upgrade gets that response instead of 101.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ERRORS, type HttpErrorCode } from '../lib/errors.ts';
import { isWebSocketEndpoint } from '../ws/websocket-endpoint.ts';
import { needsToken, originAllowed, pathOf, presentedToken, tokenChecker } from './access-rules.ts';
import { ConnectionsPerAddress } from './connections-per-address.ts';

export interface SecurityOptions {
  /** null: no token needed. */
  authToken: string | null;
  /** Canonical origins; empty: any. */
  allowedOrigins: ReadonlySet<string>;
  /** Open WebSocket connections per client address; 0: no limit. */
  maxClientsPerIp: number;
  /** HTTP requests (upgrades included) per client address per minute; 0: no limit. */
  rateLimitPerMinute: number;
}

const STATUS: Record<HttpErrorCode, number> = {
  BMPWATCH_ERR_AUTH: 401,
  BMPWATCH_ERR_ORIGIN: 403,
  BMPWATCH_ERR_CONNECTIONS: 429,
  BMPWATCH_ERR_RATE_LIMIT: 429,
  BMPWATCH_ERR_NOT_WEBSOCKET: 404,
};

function refusal(code: HttpErrorCode, message: string) {
  return { statusCode: STATUS[code], code, error: HTTP_ERRORS[code], message };
}

function refuse(reply: FastifyReply, code: HttpErrorCode, message: string): FastifyReply {
  return reply.code(STATUS[code]).send(refusal(code, message));
}

const isUpgrade = (req: FastifyRequest) => req.headers.upgrade?.toLowerCase() === 'websocket';

export async function securityPlugin(app: FastifyInstance, opts: SecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The dashboard is often served over plain HTTP on a LAN: upgrading its requests would break it.
        'upgrade-insecure-requests': null,
      },
    },
  });
  if (opts.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: opts.rateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_req, ctx) =>
        refusal(
          'BMPWATCH_ERR_RATE_LIMIT',
          `more than ${ctx.max} requests per minute from this address; retry in ${ctx.after}`,
        ),
    });
  }
  const connections = new ConnectionsPerAddress(opts.maxClientsPerIp);
  const tokenOk = opts.authToken === null ? null : tokenChecker(opts.authToken);
  app.addHook('onRequest', async (req, reply) => {
    if (!originAllowed(req.headers.origin, opts.allowedOrigins))
      return refuse(reply, 'BMPWATCH_ERR_ORIGIN', `origin ${req.headers.origin} is not allowed`);
    if (
      tokenOk !== null &&
      needsToken(pathOf(req.url), req.routeOptions.url) &&
      !tokenOk(presentedToken(req.headers.authorization, req.query))
    ) {
      reply.header('www-authenticate', 'Bearer');
      return refuse(
        reply,
        'BMPWATCH_ERR_AUTH',
        'a token is required: Authorization: Bearer <token>, or ?token=<token>',
      );
    }
    if (isUpgrade(req)) {
      // The page fallback (any path serves the dashboard) would otherwise take the upgrade, accept it and close it.
      if (!isWebSocketEndpoint(req))
        return refuse(
          reply,
          'BMPWATCH_ERR_NOT_WEBSOCKET',
          `there is no WebSocket endpoint at ${pathOf(req.url).slice(0, 200)}: use /api/ws (dashboard API) or /v1/ws/ (RIS Live)`,
        );
      if (!connections.tryOpen(req.ip))
        return refuse(
          reply,
          'BMPWATCH_ERR_CONNECTIONS',
          `${opts.maxClientsPerIp} WebSocket connections from this address are open already`,
        );
      req.raw.socket.once('close', () => connections.closed(req.ip));
    }
  });
  // An upgrade request answered with an HTTP error keeps its socket, which Node no longer tracks once it was
  // handed over for the upgrade: nothing would ever close it (and app.close() would wait for it for ever).
  app.addHook('onResponse', async (req, reply) => {
    if (isUpgrade(req) && reply.statusCode !== 101) req.raw.socket.end();
  });
}

// Hooks and plugins registered here apply to every route of the app, not only to this plugin's children
// (what fastify-plugin does, without the dependency).
(securityPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
