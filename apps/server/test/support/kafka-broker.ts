// A real Apache Kafka broker for tests, run by scripts/kafka/kafka.sh (see scripts/kafka/README.md).
//
//   const kafka = await startKafka();          // a broker of its own on a free port pair
//   new Kafka({ brokers: kafka.brokers });     // kafkajs
//   await kafka.restart();                     // broker goes away and comes back, topics and offsets kept
//   await kafka.restart({ kill: true });       // the same after a SIGKILL (a crash, no clean shutdown)
//   await kafka.stop();                        // stops it and wipes its data
//
//   const secured = await startKafka({ sasl: true });   // plus a SASL_PLAINTEXT listener on port + 2
//   secured.sasl?.brokers; secured.sasl?.username; secured.sasl?.password  // PLAIN, SCRAM-SHA-256/512
//
// With KAFKA_BROKERS set (e.g. KAFKA_BROKERS=127.0.0.1:19092 after `pnpm kafka:start`) that external
// broker is used instead: stop() does nothing and restart()/pause()/resume() throw, since the test does
// not own it (check `external` to skip such tests).
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KAFKA_SCRIPT = fileURLToPath(new URL('../../../../scripts/kafka/kafka.sh', import.meta.url));

export interface KafkaBrokerOptions {
  /** Client port; the KRaft controller takes port + 1. Default: a free pair picked at random. */
  port?: number;
  /** Seconds to wait for the broker to serve requests (KAFKA_START_TIMEOUT of kafka.sh). */
  startTimeoutSec?: number;
  /**
   * Also listen on SASL_PLAINTEXT://127.0.0.1:<port + 2> (KAFKA_SASL=1 of kafka.sh) with PLAIN,
   * SCRAM-SHA-256 and SCRAM-SHA-512. Always starts a broker of its own: KAFKA_BROKERS is ignored.
   */
  sasl?: boolean;
  /**
   * Also listen on SSL://127.0.0.1:<port + 3> with a self-signed certificate for 127.0.0.1 (KAFKA_TLS=1 of
   * kafka.sh). Always starts a broker of its own: KAFKA_BROKERS is ignored.
   */
  tls?: boolean;
}

/** The SSL listener of a broker started with { tls: true }. */
export interface KafkaTlsListener {
  brokers: string[];
  /** PEM file of the listener's self-signed certificate, to trust as a CA. */
  caFile: string;
}

/** The SASL_PLAINTEXT listener of a broker started with { sasl: true }. */
export interface KafkaSaslListener {
  brokers: string[];
  username: string;
  password: string;
  /** Mechanisms the listener accepts, in kafkajs spelling. */
  mechanisms: ('plain' | 'scram-sha-256' | 'scram-sha-512')[];
}

export interface RestartOptions {
  /** How long the broker stays down between stop and start, in milliseconds. Default 0. */
  downMs?: number;
  /** SIGKILL the broker (`kafka.sh kill`: a crash, logs recovered at the next start) instead of SIGTERM. */
  kill?: boolean;
}

export interface KafkaBroker {
  /** Bootstrap addresses for kafkajs, e.g. ['127.0.0.1:23456']. */
  readonly brokers: string[];
  /** The client port, or undefined for an external broker. */
  readonly port: number | undefined;
  /** True when KAFKA_BROKERS pointed at a broker this helper does not own. */
  readonly external: boolean;
  /** The broker's log file (server.log), or undefined for an external broker. */
  readonly logFile: string | undefined;
  /** The SASL_PLAINTEXT listener, when started with { sasl: true }. */
  readonly sasl: KafkaSaslListener | undefined;
  /** The SSL listener, when started with { tls: true }. */
  readonly tls: KafkaTlsListener | undefined;
  /** Stops the broker (SIGTERM, SIGKILL after 30 s) and wipes its data. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the broker and starts it again on the same port with the same data: topics, messages and
   * committed offsets survive, so clients see the broker go away and come back.
   */
  restart(opts?: RestartOptions): Promise<void>;
  /** SIGSTOP: the broker keeps its sockets open but answers nothing (a hung broker). */
  pause(): Promise<void>;
  /** SIGCONT after pause(). */
  resume(): Promise<void>;
}

interface ScriptResult {
  stdout: string;
  stderr: string;
}

function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [KAFKA_SCRIPT, ...args],
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() || stdout.trim() || error.message;
          reject(new Error(`kafka.sh ${args.join(' ')} failed (${error.code ?? error.signal}):\n${detail}`));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A random even port p in 20000..29998 such that p .. p + count - 1 are free on 127.0.0.1. */
async function pickPortPair(count = 2): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * (5000 - Math.ceil(count / 2)));
    let free = true;
    for (let p = port; free && p < port + count; p++) free = await canListen(p);
    if (free) return port;
  }
  throw new Error('no free port pair found for a Kafka broker in 20000..29999');
}

function parseBrokersLine(stdout: string, name = 'KAFKA_BROKERS'): string[] {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`kafka.sh start printed no ${name} line (stdout: ${JSON.stringify(stdout)})`);
  return line.slice(name.length + 1).split(',');
}

function externalBroker(list: string): KafkaBroker {
  const notOwned = (what: string) => async () => {
    throw new Error(`${what}() needs a broker started by the test; KAFKA_BROKERS=${list} is external`);
  };
  return {
    brokers: list
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
    port: undefined,
    external: true,
    logFile: undefined,
    sasl: undefined,
    tls: undefined,
    stop: async () => {},
    restart: notOwned('restart'),
    pause: notOwned('pause'),
    resume: notOwned('resume'),
  };
}

export async function startKafka(opts: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external && !opts.sasl && !opts.tls) return externalBroker(external);
  // Ports in use: client, controller, then SASL (+2) and TLS (+3) when asked for.
  const portCount = opts.tls ? 4 : opts.sasl ? 3 : 2;
  const saslUser = 'bmpwatch';
  const saslPassword = 'bmpwatch-secret';

  const startTimeoutSec = opts.startTimeoutSec ?? 120;
  // First run downloads the jars with Maven, so the script may take a while beyond the broker start.
  const scriptTimeoutMs = (startTimeoutSec + 600) * 1000;
  const explicitPort = opts.port;

  let port = explicitPort ?? (await pickPortPair(portCount));
  const envFor = (p: number): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_PORT: String(p),
      KAFKA_START_TIMEOUT: String(startTimeoutSec),
      KAFKA_SASL: opts.sasl ? '1' : '0',
      KAFKA_TLS: opts.tls ? '1' : '0',
      KAFKA_SASL_USER: saslUser,
      KAFKA_SASL_PASSWORD: saslPassword,
    };
    delete env.KAFKA_BROKERS;
    return env;
  };

  let started: ScriptResult | undefined;
  for (let attempt = 1; started === undefined; attempt++) {
    try {
      started = await runScript(['start'], envFor(port), scriptTimeoutMs);
    } catch (err) {
      // A randomly picked port can be taken between the check and the start: try another pair.
      const portTaken = err instanceof Error && /port \d+ on 127\.0\.0\.1 is taken/.test(err.message);
      if (explicitPort !== undefined || !portTaken || attempt >= 3) throw err;
      port = await pickPortPair(portCount);
    }
  }
  const brokers = parseBrokersLine(started.stdout);
  const sasl: KafkaSaslListener | undefined = opts.sasl
    ? {
        brokers: parseBrokersLine(started.stdout, 'KAFKA_SASL_BROKERS'),
        username: saslUser,
        password: saslPassword,
        mechanisms: ['plain', 'scram-sha-256', 'scram-sha-512'],
      }
    : undefined;
  const tls: KafkaTlsListener | undefined = opts.tls
    ? {
        brokers: parseBrokersLine(started.stdout, 'KAFKA_TLS_BROKERS'),
        caFile: parseBrokersLine(started.stdout, 'KAFKA_TLS_CA').join(','),
      }
    : undefined;
  const env = envFor(port);
  const stateRoot = process.env.BMPWATCH_STATE ?? join(homedir(), '.cache', 'bmpwatch', 'state');

  // If the test process dies without calling stop(), do not leave a JVM behind.
  let running = true;
  const onExit = () => {
    if (running) spawnSync('bash', [KAFKA_SCRIPT, 'stop'], { env, stdio: 'ignore', timeout: 60_000 });
  };
  process.once('exit', onExit);

  return {
    brokers,
    port,
    external: false,
    logFile: join(stateRoot, `kafka-${port}`, 'logs', 'server.log'),
    sasl,
    tls,
    async stop() {
      if (!running) return;
      await runScript(['stop'], env, 120_000);
      running = false;
      process.removeListener('exit', onExit);
    },
    async restart(restartOpts: RestartOptions = {}) {
      await runScript(restartOpts.kill ? ['kill'] : ['stop', '--keep-data'], env, 120_000);
      if (restartOpts.downMs && restartOpts.downMs > 0) {
        await new Promise((r) => setTimeout(r, restartOpts.downMs));
      }
      const again = parseBrokersLine((await runScript(['start'], env, scriptTimeoutMs)).stdout);
      if (again.join(',') !== brokers.join(',')) {
        throw new Error(`broker came back on ${again.join(',')} instead of ${brokers.join(',')}`);
      }
      if (!running) process.once('exit', onExit);
      running = true;
    },
    async pause() {
      await runScript(['pause'], env, 30_000);
    },
    async resume() {
      await runScript(['resume'], env, 30_000);
    },
  };
}
