/**
 * GET /api/health: liveness (the process answers) plus readiness (every source is ok) with each source's
 * status. Always 200 while alive; GET /api/health/ready answers 503 until ready, for load balancers.
 */
import type { FastifyInstance } from 'fastify';
import { SERVER_VERSION } from '../fanout/frames.ts';
import type { SourceJson } from '../model/source-status.ts';

export interface HealthOptions {
  sources: () => SourceJson[];
}

export function healthBody(sources: SourceJson[], startedAt: number) {
  const ready = sources.every((s) => s.status === 'ok');
  return {
    status: ready ? 'ok' : 'degraded',
    live: true,
    ready,
    version: SERVER_VERSION,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
    sources,
  };
}

export async function healthPlugin(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  const startedAt = Date.now();
  app.get('/api/health', async () => healthBody(opts.sources(), startedAt));
  app.get('/api/health/ready', async (_req, reply) => {
    const body = healthBody(opts.sources(), startedAt);
    reply.code(body.ready ? 200 : 503);
    return body;
  });
}
