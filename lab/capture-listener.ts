import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { LabError } from './errors.ts';
import { sleep, waitFor } from './wait.ts';

/**
 * A minimal BMP collector for captures: accepts TCP connections and appends every received byte,
 * unchanged, to one file. Several sessions in a row (e.g. after `gobgp bmp add`) follow each other.
 */
export class CaptureListener {
  bytes = 0;
  connections = 0;
  openConnections = 0;
  lastDataAt = 0;
  private readonly server: Server;
  private readonly out: WriteStream;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly path: string,
    readonly host: string,
    readonly port: number,
    server: Server,
    out: WriteStream,
  ) {
    this.server = server;
    this.out = out;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on host:port (port 0 picks a free one; read `.port`). */
  static async open(path: string, host: string, port: number): Promise<CaptureListener> {
    const out = createWriteStream(path, { flags: 'w' });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => resolve());
    });
    const addr = server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    return new CaptureListener(path, host, bound, server, out);
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.openConnections++;
    this.sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.lastDataAt = Date.now();
      this.out.write(chunk);
    });
    socket.on('close', () => {
      this.openConnections--;
      this.sockets.delete(socket);
    });
    socket.on('error', () => {
      // A reset at router shutdown is normal; 'close' follows.
    });
  }

  /** Resolves once nothing has arrived for `quietMs` (the router has sent what it had). */
  async waitQuiet(quietMs: number, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => (this.bytes > 0 && Date.now() - this.lastDataAt >= quietMs ? true : undefined),
      {
        timeoutMs,
        intervalMs: 100,
        what: `the BMP stream on port ${this.port} to go quiet for ${quietMs} ms (${this.bytes} bytes so far)`,
      },
    );
  }

  async waitConnected(timeoutMs: number): Promise<void> {
    await waitFor(async () => (this.openConnections > 0 ? true : undefined), {
      timeoutMs,
      what: `a BMP connection on port ${this.port}`,
    });
  }

  async waitClosed(timeoutMs: number): Promise<void> {
    await waitFor(async () => (this.openConnections === 0 ? true : undefined), {
      timeoutMs,
      what: `the BMP connection on port ${this.port} to close`,
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Let 'data' events already queued land in the file before it is closed.
    await sleep(50);
    await new Promise<void>((resolve, reject) =>
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (this.out.errored)
      throw new LabError('LAB_PROCESS', `writing ${this.path}: ${this.out.errored.message}`);
  }
}
