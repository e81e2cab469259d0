/**
 * Client frames as ws hands them over (a Buffer, an ArrayBuffer or fragments), and the one guard every
 * WebSocket endpoint puts around its frame handler.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';

export function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  // A Buffer (ws's default binaryType) is decoded as it is: Buffer.from would copy it first.
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/**
 * Calls `handle` for each frame of the socket. A throw from it would escape into ws's socket data handler and
 * take the whole process down (one client's frame ending every client's session): it closes that client with
 * 1011 instead, and is logged as the bug it is.
 */
export function onClientFrames(
  socket: WebSocket,
  log: FastifyBaseLogger,
  handle: (data: RawData) => void,
): void {
  socket.on('message', (data) => {
    try {
      handle(data);
    } catch (err) {
      log.error({ err }, 'client frame handling failed; closing that client');
      socket.close(1011, 'internal error');
    }
  });
}
