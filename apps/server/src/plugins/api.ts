/** GET /api/routers, /api/peers and /api/rates: the live state as JSON (the same objects as the WebSocket API). */
import type { FastifyInstance } from 'fastify';
import type { Pipeline } from '../pipeline/ingest.ts';
import { epochSecond, RATE_WINDOW_S, type RateSeries } from '../state/rates.ts';

export interface ApiOptions {
  pipeline: Pipeline;
}

interface PeersQuery {
  router?: string;
  state?: string;
}

interface RatesQuery {
  scope?: string;
  id?: string;
  window?: string;
}

export async function apiPlugin(app: FastifyInstance, { pipeline }: ApiOptions): Promise<void> {
  app.get('/api/routers', async () => ({ routers: pipeline.routers.list() }));

  app.get<{ Querystring: PeersQuery }>('/api/peers', async (req) => {
    const { router, state } = req.query;
    let peers = router ? pipeline.peers.ofRouter(router) : pipeline.peers.list();
    if (state) peers = peers.filter((p) => p.state === state);
    return { peers };
  });

  app.get<{ Querystring: RatesQuery }>('/api/rates', async (req, reply) => {
    const scope = req.query.scope ?? 'global';
    const id = req.query.id ?? null;
    const window = req.query.window === undefined ? RATE_WINDOW_S : Number(req.query.window);
    if (!Number.isInteger(window) || window < 1 || window > RATE_WINDOW_S) {
      reply.code(400);
      return { error: `window must be an integer number of seconds from 1 to ${RATE_WINDOW_S}` };
    }
    let series: RateSeries | undefined;
    if (scope === 'global') series = pipeline.global;
    else if (scope === 'router') series = id === null ? undefined : pipeline.routers.get(id)?.rates;
    else if (scope === 'peer') series = id === null ? undefined : pipeline.peers.get(id)?.rates;
    else if (scope === 'ingest') series = pipeline.ingest;
    else {
      reply.code(400);
      return { error: 'scope must be global, router, peer or ingest' };
    }
    if (series === undefined) {
      reply.code(404);
      return { error: id === null ? `scope ${scope} needs an id` : `no ${scope} ${JSON.stringify(id)}` };
    }
    const until = epochSecond() - 1;
    return { interval_s: 1, scope, id, window, series: series.series(until, window) };
  });
}
