/** The replay section of the configuration: the capture file to play (which must exist), speed, loop, router. */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { configError } from './errors.ts';
import type { OptionValues } from './values.ts';

export interface ReplayConfig {
  file: string;
  speed: number;
  loop: boolean;
  router: string;
}

/** null when no file is set. */
export function buildReplay(v: OptionValues): ReplayConfig | null {
  const file = v.str('replay');
  if (file === null) return null;
  if (!existsSync(file) || !statSync(file).isFile())
    throw configError(`${v.where('replay')}: ${file} is not a readable file`);
  return {
    file,
    speed: v.num('replay-speed', false),
    loop: v.bool('replay-loop'),
    router: v.given('replay-router') ?? basename(file),
  };
}
