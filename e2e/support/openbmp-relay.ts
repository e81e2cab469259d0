// A minimal OpenBMP-style collector for the lab test: routers connect over TCP and send BMP; each
// message is wrapped in an OpenBMP v1.7 raw_bmp header (router IP = the connection's peer address)
// and produced to a Kafka topic, keyed by router hash as OpenBMP does. The bmpwatch server then
// consumes the topic like RouteViews' stream.
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { BmpFramer } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export interface Relay {
  port: number;
  /** BMP messages produced so far. */
  readonly produced: number;
  close(): Promise<void>;
}

const COLLECTOR_HASH = createHash('md5').update('bmpwatch-e2e-relay').digest('hex');

export async function startRelay(opts: { brokers: string[]; topic: string; host?: string }): Promise<Relay> {
  const kafka = new Kafka({
    clientId: 'bmpwatch-e2e-relay',
    brokers: opts.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const sockets = new Set<Socket>();
  let pending: { key: string; value: Buffer }[] = [];
  let produced = 0;
  let sending: Promise<unknown> = Promise.resolve();

  // Messages go out in small batches (every 20 ms), in order.
  const timer = setInterval(() => {
    if (pending.length === 0) return;
    const messages = pending;
    pending = [];
    sending = sending.then(() =>
      producer.send({ topic: opts.topic, acks: 1, messages }).then(() => {
        produced += messages.length;
      }),
    );
  }, 20);

  const server: Server = createServer((sock) => {
    sockets.add(sock);
    const routerIp = (sock.remoteAddress ?? '0.0.0.0').replace(/^::ffff:/, '');
    const routerHash = createHash('md5').update(routerIp).digest('hex');
    const framer = new BmpFramer({ format: 'bmp' });
    sock.on('data', (chunk: Buffer) => {
      framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      for (;;) {
        const r = framer.next();
        if (r === false) break;
        if (r !== true) continue; // garbage skipped: go on with the next message
        const bmp = framer.buffer.slice(framer.start, framer.end);
        const wrapped = wrapOpenBmp(bmp, {
          collectionTime: Date.now() / 1000,
          collectorHash: COLLECTOR_HASH,
          adminId: 'bmpwatch-e2e',
          routerHash,
          routerIp,
        });
        pending.push({
          key: routerHash,
          value: Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.length),
        });
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '0.0.0.0', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    get produced() {
      return produced;
    },
    async close() {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await sending.catch(() => {});
      await producer.disconnect();
    },
  };
}
