/**
 * The BMP listener: routers connect over TCP (RFC 7854 §3.2) and stream BMP. One framer and one decoder session
 * per connection; the router's id is the connection's remote address. A closed connection marks the router
 * down and its peers unknown.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { BmpFramer } from '@bmpwatch/bmp';
import type { FastifyBaseLogger } from 'fastify';
import { ServerError } from '../lib/errors.ts';
import type { SourceStatus } from '../model/source-status.ts';
import { routerConnection } from '../pipeline/decode.ts';
import type { Ingest } from '../pipeline/ingest.ts';
import type { Source } from './source.ts';

export interface BmpTcpOptions {
  host: string;
  port: number;
}

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) → "192.0.2.1". */
export function routerIdOf(remote: string | undefined): string {
  if (remote === undefined) return 'unknown';
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}

export class BmpTcpSource implements Source {
  readonly id = 'bmp-tcp';
  readonly kind = 'bmp-tcp' as const;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private bound: { host: string; port: number } | null = null;
  /** Bytes read from all router connections so far, partial messages included. */
  bytesIn = 0;

  constructor(
    private readonly opts: BmpTcpOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Where the listener is bound (the real port when configured with 0). */
  get address(): { host: string; port: number } | null {
    return this.bound;
  }

  start(ingest: Ingest): Promise<void> {
    const server = createServer((socket) => this.accept(socket, ingest));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new ServerError(
            'BMPWATCH_ERR_LISTEN',
            `BMP listener cannot bind ${this.opts.host}:${this.opts.port}: ${err.code ?? err.message}` +
              (err.code === 'EADDRINUSE' ? ' (in use; pick another with --bmp-port, or --no-bmp)' : ''),
          ),
        ),
      );
      server.listen({ host: this.opts.host, port: this.opts.port }, () => {
        const a = server.address();
        this.bound = typeof a === 'object' && a !== null ? { host: a.address, port: a.port } : null;
        server.on('error', (err) => this.log.error({ err }, 'BMP listener error'));
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  status(): SourceStatus {
    if (this.bound === null) return { status: 'error', detail: 'not listening' };
    const n = this.sockets.size;
    return {
      status: 'ok',
      detail: `listening on ${this.bound.host}:${this.bound.port}, ${n} router${n === 1 ? '' : 's'} connected`,
    };
  }

  private accept(socket: Socket, ingest: Ingest): void {
    const id = routerIdOf(socket.remoteAddress);
    const where = `${id}:${socket.remotePort}`;
    const conn = routerConnection('bmp-tcp', this.id, id, id);
    const framer = new BmpFramer({ format: 'bmp' });
    this.sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    socket.setNoDelay(true);
    this.log.info({ router: id, remote: where }, 'BMP router connected');
    ingest.connected(conn, `connected from ${where}`);
    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      framer.push(chunk);
      for (;;) {
        const r = framer.next();
        if (r === false) break;
        if (r === true) ingest.bmp(conn, framer.buffer.subarray(framer.start, framer.end));
        else ingest.malformed(this.id, r, `router ${id}`);
      }
    });
    let error: string | null = null;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      // A message cut off by the close (a reset mid-message) is discarded and counted, never decoded.
      const tail = framer.finish();
      if (tail !== null) ingest.malformed(this.id, tail, `router ${id}`);
      const reason = error === null ? 'connection closed' : `connection error: ${error}`;
      this.log.info({ router: id, remote: where, reason }, 'BMP router disconnected');
      ingest.disconnected(conn, reason);
    });
  }
}
