/** A small strict argument parser: known flags only, clear errors, `--` ends options. */

export class UsageError extends Error {}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/** `spec` maps each long flag (without dashes) to whether it takes a value; `aliases` maps short forms. */
export function parseArgs(
  argv: string[],
  spec: Record<string, boolean>,
  aliases: Record<string, string> = {},
): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    let name = a.startsWith('--') ? a.slice(2) : (aliases[a.slice(1)] ?? a.slice(1));
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (!(name in spec)) throw new UsageError(`unknown option ${a}`);
    if (spec[name]) {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`option --${name} needs a value`);
        value = argv[++i];
      }
      flags.set(name, value);
    } else {
      if (value !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, true);
    }
  }
  return { flags, positional };
}
