/** Starts a whole bmpwatch server for a test: HTTP and BMP on free ports, demo off unless asked for. */
import { type AppOptions, type BmpwatchServer, buildServer } from '../../src/app.ts';
import { type Config, parseArgs } from '../../src/plugins/config.ts';

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
