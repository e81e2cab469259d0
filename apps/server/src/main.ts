/**
 * `pnpm start` / `tsx apps/server/src/main.ts`: reads the configuration, starts the server, prints where the
 * dashboard is, and shuts down cleanly on SIGINT / SIGTERM.
 */
import { buildServer } from './app.ts';
import { type Config, parseArgs } from './config/config.ts';
import { helpText } from './config/help.ts';
import { ServerError } from './lib/errors.ts';

/** What runs, in one line for the banner. */
function summary(config: Config, bmp: { host: string; port: number } | null): string {
  const parts: string[] = [];
  if (config.demo) parts.push('demo feed');
  if (bmp) parts.push(`BMP listener on ${bmp.host}:${bmp.port}`);
  if (config.kafka)
    parts.push(`Kafka ${config.kafka.brokers.join(',')} topics ${String(config.kafka.topics)}`);
  if (config.replay) parts.push(`replay of ${config.replay.file}`);
  return parts.join(', ');
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (err instanceof ServerError) {
      process.stderr.write(`bmpwatch: ${err.message}\nRun with --help for every option.\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const config = parsed.config;
  const server = await buildServer(config);
  let url: string;
  try {
    url = await server.start();
  } catch (err) {
    if (err instanceof ServerError) {
      process.stderr.write(`bmpwatch: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // fastify reports 127.0.0.1 for 0.0.0.0 listeners only in its log; print a URL a browser can open.
  process.stdout.write(`\nbmpwatch dashboard: ${url}/\n  ${summary(config, server.bmpAddress())}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      process.stderr.write(`bmpwatch: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      process.stderr.write('bmpwatch: shutdown took over 10 s, exiting\n');
      process.exit(1);
    }, 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`bmpwatch: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
