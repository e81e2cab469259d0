/**
 * The `--help` text, generated from the option table: presentation only, apart from parsing so that changing
 * the layout of the help cannot change how options are read.
 */
import { OPTIONS } from './options.ts';

/** The --help text, generated from the option table. */
export function helpText(): string {
  const lines = [
    'bmpwatch server — live BGP monitoring from BMP (Kafka/OpenBMP, direct TCP, replay or demo)',
    '',
    'Usage: pnpm start -- [options]        (or: tsx apps/server/src/main.ts [options])',
    '',
    'With nothing configured it runs the demo feed, the BMP listener and the dashboard.',
    'Every option can also be set with the environment variable shown; flags win.',
  ];
  let group = '';
  for (const o of OPTIONS) {
    if (o.group !== group) {
      group = o.group;
      lines.push('', `${group}:`);
    }
    const value =
      o.kind === 'bool'
        ? ''
        : o.values
          ? ` <${o.values.join('|')}>`
          : ` <${o.kind === 'list' ? 'list' : o.kind}>`;
    const neg = o.kind === 'bool' ? ` / --no-${o.flag}` : '';
    lines.push(`  --${o.flag}${neg}${value}`);
    lines.push(`      ${o.help}`);
    lines.push(`      env: ${o.env.join(', ')}${o.default !== undefined ? `   default: ${o.default}` : ''}`);
  }
  lines.push('', '  --help, -h', '      Print this help and exit.', '');
  return lines.join('\n');
}
