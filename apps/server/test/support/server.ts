/** Starts a whole bmpwatch server for a test: HTTP and BMP on free ports, demo off unless asked for. */
import { type AppOptions, type BmpwatchServer, buildServer } from '../../src/app.ts';
import { type Config, parseArgs } from '../../src/config/config.ts';
import { waitUntil } from './wait.ts';

export interface TestServer {
  server: BmpwatchServer;
  url: string;
  wsUrl: string;
  bmpPort: number;
  close(): Promise<void>;
}

export function testConfig(args: string[] = [], env: NodeJS.ProcessEnv = {}): Config {
  const parsed = parseArgs(
    ['--host', '127.0.0.1', '--port', '0', '--bmp-port', '0', '--demo', 'off', ...args],
    env,
  );
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.config;
}

export async function startTestServer(
  args: string[] = [],
  opts: AppOptions = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TestServer> {
  // BMPWATCH_TEST_LOG=debug (or info, warn) shows the server's log of a test run on stderr.
  const level = process.env.BMPWATCH_TEST_LOG;
  const logger = level ? { level, stream: process.stderr } : false;
  const server = await buildServer(testConfig(args, env), { logger, ...opts });
  const url = await server.start();
  return {
    server,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/api/ws',
    bmpPort: server.bmpAddress()?.port ?? 0,
    close: () => server.close(),
  };
}

/** A source as /api/health reports it. */
export interface HealthSource {
  id: string;
  status: string;
  detail: string;
}

/** The Kafka source in the server's /api/health (an error when there is none). */
export async function kafkaHealth(t: TestServer): Promise<HealthSource> {
  const res = await t.server.app.inject('/api/health');
  const sources = res.json().sources as HealthSource[];
  const kafka = sources.find((s) => s.id === 'kafka');
  if (!kafka) throw new Error(`no kafka source in /api/health: ${res.body}`);
  return kafka;
}

/** Polls /api/health until the Kafka source is ok; on timeout the error says its last status and detail. */
export function waitForKafkaOk(
  t: TestServer,
  what: string,
  timeoutMs: number,
  intervalMs: number,
): Promise<true> {
  let last = 'none yet';
  return waitUntil(
    async () => {
      const source = await kafkaHealth(t);
      last = `${source.status} (${source.detail})`;
      return source.status === 'ok';
    },
    what,
    timeoutMs,
    intervalMs,
    () => `last status ${last}`,
  );
}
