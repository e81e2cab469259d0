/**
 * What marks a route as a WebSocket endpoint: @fastify/websocket's `websocket` flag, plus a config mark that
 * hooks can read from the request (fastify does not expose the plugin's flag there). The security hook answers
 * upgrades to any other path with a 404 instead of letting the page fallback accept and drop them.
 */
import type { FastifyRequest } from 'fastify';

export const WEBSOCKET_ENDPOINT = { websocket: true, config: { websocketEndpoint: true } } as const;

export function isWebSocketEndpoint(req: FastifyRequest): boolean {
  return (req.routeOptions.config as { websocketEndpoint?: boolean } | undefined)?.websocketEndpoint === true;
}
