#!/usr/bin/env -S npx tsx
/** `bmpwatch <command>`: the project's command line (run from the repo root as `pnpm bmpwatch …`). */
import { DECODE_HELP, runDecode } from './commands/decode.ts';

const HELP = `Usage: bmpwatch <command> [options]

Commands:
  decode    decode a BMP / OpenBMP capture to NDJSON (route changes, messages or a summary)
  produce   publish a capture or synthetic traffic to Kafka in OpenBMP raw_bmp form
  help      this help; "bmpwatch <command> --help" for a command's options

The dashboard server is started with "pnpm start" (see its --help).`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'decode':
      return runDecode(rest);
    case 'produce': {
      const { runProduce } = await import('./commands/produce.ts');
      return runProduce(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return 0;
    default:
      process.stderr.write(`bmpwatch: unknown command "${cmd}"\n\n${HELP}\n\n${DECODE_HELP}\n`);
      return 2;
  }
}

// `bmpwatch … | head`: the reader went away; that ends our output, it is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bmpwatch: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
