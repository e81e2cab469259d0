// The server's Kafka SASL options against a real secured broker: kafka.sh with KAFKA_SASL=1 adds a
// SASL_PLAINTEXT listener (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512). OpenBMP messages are produced over the
// broker's plaintext listener; servers consume them over the SASL listener with --kafka-sasl-mechanism. A wrong
// password must leave the source 'connecting' (the reason in /api/health, readiness 503, a clear warning in the
// log) and retry with backoff, not crash the server or its Kafka worker.
// The same broker has an SSL listener (KAFKA_TLS=1, self-signed certificate): --kafka-tls-ca trusts it,
// --kafka-tls alone must refuse it.
import { Writable } from 'node:stream';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaServerArgs } from '../../support/kafka-args.ts';
import { type KafkaBroker, startKafka } from '../../support/kafka-broker.ts';
import { createTopics, type Dataset, dataset, kafkaClient, produce } from '../../support/kafka-feed.ts';
import { kafkaHealth, startTestServer, type TestServer, waitForKafkaOk } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const run = `${process.pid}x${Date.now().toString(36)}`;
const topic = `bmpwatch.sasl.${run}.bmp_raw`;
const ROUTER = '10.0.0.7';

interface PeerJson {
  router: string;
  address: string;
  state: string;
  announcements: number;
  withdrawals: number;
}

describe('Kafka SASL and TLS (kafka.sh KAFKA_SASL=1 KAFKA_TLS=1) → server', () => {
  let broker: KafkaBroker;
  let plain: Kafka;
  let data: Dataset;
  const servers: TestServer[] = [];

  const baseArgs = (brokers: string[], group: string) =>
    kafkaServerArgs({ brokers, topics: topic, group: `${group}-${run}` });

  const serverArgs = (mechanism: string, password: string, group: string) => {
    const sasl = broker.sasl;
    if (!sasl) throw new Error('broker started without its SASL listener');
    return [
      ...baseArgs(sasl.brokers, group),
      '--kafka-sasl-mechanism',
      mechanism,
      '--kafka-sasl-username',
      sasl.username,
      '--kafka-sasl-password',
      password,
    ];
  };

  const start = async (args: string[], logLines?: string[]) => {
    // The server's log as JSON lines, when the test wants to read it.
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines?.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((l: string) => l !== ''),
        );
        done();
      },
    });
    const t = await startTestServer(args, logLines ? { logger: { level: 'info', stream } } : {});
    servers.push(t);
    return t;
  };

  beforeAll(async () => {
    broker = await startKafka({ sasl: true, tls: true });
    expect(broker.sasl?.brokers[0]).toBe(`127.0.0.1:${(broker.port ?? 0) + 2}`);
    expect(broker.tls?.brokers[0]).toBe(`127.0.0.1:${(broker.port ?? 0) + 3}`);
    plain = kafkaClient(broker.brokers, 'bmpwatch-test-sasl-producer');
    await createTopics(plain, [topic], 1);
    data = dataset(ROUTER, 'sasl-r1', 40, 7);
    await produce(plain, topic, ROUTER, data.payloads);
  }, 900_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await broker?.stop();
  }, 120_000);

  async function expectConsumed(t: TestServer, how: string) {
    const want = new Map<string, { a: number; w: number }>();
    for (const f of data.facts) {
      const c = want.get(f.peer) ?? { a: 0, w: 0 };
      if (f.kind === 'announce') c.a++;
      else c.w++;
      want.set(f.peer, c);
    }
    let last = '';
    const peers = await waitUntil(
      async () => {
        const list = (await t.server.app.inject('/api/peers')).json().peers as PeerJson[];
        last = `peers ${JSON.stringify(list)}; kafka source ${JSON.stringify(await kafkaHealth(t))}`;
        const done = list.reduce((n, p) => n + p.announcements + p.withdrawals, 0) >= data.facts.length;
        return done ? list : undefined;
      },
      `${data.facts.length} route events consumed over ${how}`,
      60_000,
      100,
      () => last,
    );
    const got = new Map(peers.map((p) => [p.address, { a: p.announcements, w: p.withdrawals }]));
    expect(got).toEqual(want);
    expect(peers.every((p) => p.router === ROUTER && p.state === 'up')).toBe(true);
    const routers = (await t.server.app.inject('/api/routers')).json().routers;
    expect(routers).toEqual([
      expect.objectContaining({ id: ROUTER, name: 'sasl-r1', source: 'kafka', state: 'up' }),
    ]);
    await waitForKafkaOk(t, 'the Kafka source to be ok', 30_000, 25);
    expect((await kafkaHealth(t)).detail).toMatch(/^1 topic, lag 0$/);
  }

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`consumes OpenBMP over SASL_PLAINTEXT with --kafka-sasl-mechanism ${mechanism}`, async () => {
      const t = await start(serverArgs(mechanism, broker.sasl?.password ?? '', mechanism));
      await expectConsumed(t, mechanism);
    });
  }

  it('consumes OpenBMP over TLS with --kafka-tls-ca', async () => {
    const tls = broker.tls;
    if (!tls) throw new Error('broker started without its TLS listener');
    const t = await start([...baseArgs(tls.brokers, 'tls'), '--kafka-tls-ca', tls.caFile]);
    await expectConsumed(t, 'TLS');
  });

  it('refuses the self-signed certificate with --kafka-tls alone (stays connecting)', async () => {
    const tls = broker.tls;
    if (!tls) throw new Error('broker started without its TLS listener');
    const t = await start([...baseArgs(tls.brokers, 'tls-untrusted'), '--kafka-tls']);
    const h = await waitUntil(
      async () => {
        const s = await kafkaHealth(t);
        return /self[- ]signed certificate/i.test(s.detail) ? s : undefined;
      },
      'a certificate error in /api/health',
      60_000,
      100,
    );
    expect(['connecting', 'error']).toContain(h.status);
    expect((await t.server.app.inject('/api/peers')).json().peers).toEqual([]);
  });

  it('stays connecting (not crashed) with a wrong SASL password', async () => {
    const log: string[] = [];
    const t = await start(serverArgs('scram-sha-256', 'not-the-password', 'wrong'), log);
    const h = await waitUntil(
      async () => {
        const s = await kafkaHealth(t);
        return /authentication failed/i.test(s.detail) ? s : undefined;
      },
      'an authentication failure in /api/health',
      60_000,
      100,
    );
    expect(['connecting', 'error']).toContain(h.status);
    // It keeps retrying with backoff: still not ok a while later, nothing consumed, HTTP still served.
    await new Promise((r) => setTimeout(r, 2000));
    const later = await kafkaHealth(t);
    expect(['connecting', 'error']).toContain(later.status);
    expect((await t.server.app.inject('/api/peers')).json().peers).toEqual([]);
    expect((await t.server.app.inject('/api/routers')).json().routers).toEqual([]);
    // Readiness fails, with the reason.
    const ready = await t.server.app.inject('/api/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().sources[0].detail).toMatch(/authentication failed/i);
    // Backoff, not a tight loop: the supervisor's retry count (in the detail) grows slowly
    // (1 s, 2 s, 4 s …), and the Kafka worker thread never died and restarted.
    const retries = Number(/\(retry (\d+) in \d+ s\)/.exec(later.detail)?.[1]);
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(retries).toBeLessThanOrEqual(8);
    const warnings = log.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
    expect(warnings.some((w) => /authentication failed/i.test(`${w.err} ${w.msg}`))).toBe(true);
    expect(log.some((l) => l.includes('Kafka worker exited'))).toBe(false);
    // Same for PLAIN.
    const p = await start(serverArgs('plain', 'not-the-password', 'wrong-plain'));
    const hp = await waitUntil(
      async () => {
        const s = await kafkaHealth(p);
        return /authentication failed/i.test(s.detail) ? s : undefined;
      },
      'a PLAIN authentication failure in /api/health',
      60_000,
      100,
    );
    expect(['connecting', 'error']).toContain(hp.status);
  });
});
