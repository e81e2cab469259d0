/**
 * Reading argv and the environment into raw string values per flag: flags win over environment variables.
 * Only the command-line syntax is checked here (unknown options, missing values); what the values mean is
 * checked by values.ts and the section builders.
 */
import { configError } from './errors.ts';
import { OPTIONS } from './options.ts';

/** A raw value and the environment variable it came from (null: a flag). */
export interface RawValue {
  value: string;
  env: string | null;
}

/** Raw string values by flag, from argv (winning) and env. */
export function readRaw(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { raw: Map<string, RawValue>; help: boolean } {
  const byFlag = new Map(OPTIONS.map((o) => [o.flag, o]));
  const raw = new Map<string, RawValue>();
  for (const o of OPTIONS) {
    for (const name of o.env) {
      const v = env[name];
      if (v !== undefined && v !== '') {
        raw.set(o.flag, { value: v, env: name });
        break;
      }
    }
  }
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue; // `pnpm start -- --help` passes the separator through
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--'))
      throw configError(`unexpected argument ${JSON.stringify(arg)} (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let o = byFlag.get(name);
    if (
      o === undefined &&
      name.startsWith('no-') &&
      byFlag.get(name.slice(3))?.kind === 'bool' &&
      value === undefined
    ) {
      name = name.slice(3);
      o = byFlag.get(name);
      value = 'false';
    }
    if (o === undefined) throw configError(`unknown option --${name} (see --help for the list)`);
    if (value === undefined) {
      if (o.kind === 'bool') value = 'true';
      else {
        value = argv[++i];
        if (value === undefined) throw configError(`--${name} needs a value`);
      }
    }
    raw.set(name, { value, env: null });
  }
  return { raw, help };
}
