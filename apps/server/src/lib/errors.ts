/**
 * Every error code the server gives out, in one table (fastify-style): a stable code, what it means, and the
 * document where users read about it. test/errors.test.ts fails if a code is missing from its document.
 */

export const WS_ERRORS = {
  WS_ERR_BAD_JSON: 'a client frame is not valid JSON',
  WS_ERR_BAD_MESSAGE: 'a client frame has an unknown type or fields of the wrong type',
  WS_ERR_BAD_FILTER: 'a subscribe frame carries an invalid filter',
  WS_ERR_TOO_LARGE: 'a client frame is over 1 MiB',
  WS_ERR_TOO_DEEP: 'a client frame nests arrays/objects more than 16 levels deep',
  WS_ERR_RATE_LIMIT:
    'a client sent more than 20 frames within one second, or subscribed to more filter values than its budget',
  WS_ERR_SLOW_CLIENT: 'a client stopped reading for longer than the stall limit and is being disconnected',
} as const;

export type WsErrorCode = keyof typeof WS_ERRORS;

/** Refusals of HTTP requests (WebSocket upgrades included) by the access rules: the JSON body's `code`. */
export const HTTP_ERRORS = {
  BMPWATCH_ERR_AUTH: 'the request carries no token or a wrong one (401)',
  BMPWATCH_ERR_ORIGIN: 'the request comes from a browser page whose origin is not allowed (403)',
  BMPWATCH_ERR_CONNECTIONS: 'the client address already has its maximum of WebSocket connections open (429)',
  BMPWATCH_ERR_RATE_LIMIT: 'the client address made more requests than the rate limit allows (429)',
  BMPWATCH_ERR_NOT_WEBSOCKET: 'a WebSocket upgrade asked for a path that has no WebSocket endpoint (404)',
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

export const SERVER_ERRORS = {
  BMPWATCH_ERR_CONFIG: 'a flag or environment variable has an invalid value',
  BMPWATCH_ERR_LISTEN: 'the HTTP server or the BMP listener could not bind its address',
  BMPWATCH_ERR_REPLAY: 'the replay file cannot be read',
} as const;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** Where each code is documented (paths relative to the repository root). */
export const ERROR_DOCS: Record<WsErrorCode | HttpErrorCode | ServerErrorCode, string> = {
  WS_ERR_BAD_JSON: 'docs/websocket.md',
  WS_ERR_BAD_MESSAGE: 'docs/websocket.md',
  WS_ERR_BAD_FILTER: 'docs/websocket.md',
  WS_ERR_TOO_LARGE: 'docs/websocket.md',
  WS_ERR_TOO_DEEP: 'docs/websocket.md',
  WS_ERR_RATE_LIMIT: 'docs/websocket.md',
  WS_ERR_SLOW_CLIENT: 'docs/websocket.md',
  BMPWATCH_ERR_AUTH: 'docs/reliability.md',
  BMPWATCH_ERR_ORIGIN: 'docs/reliability.md',
  BMPWATCH_ERR_CONNECTIONS: 'docs/reliability.md',
  BMPWATCH_ERR_RATE_LIMIT: 'docs/reliability.md',
  BMPWATCH_ERR_NOT_WEBSOCKET: 'docs/reliability.md',
  BMPWATCH_ERR_CONFIG: 'docs/configuration.md',
  BMPWATCH_ERR_LISTEN: 'docs/configuration.md',
  BMPWATCH_ERR_REPLAY: 'docs/configuration.md',
};

/** A startup failure with a stable code; main.ts prints it without a stack trace. */
export class ServerError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}
