/** The BMP listener section of the configuration: on or off, address and port (which must differ from HTTP's). */
import { configError } from './errors.ts';
import type { OptionValues } from './values.ts';

export interface BmpListenConfig {
  host: string;
  port: number;
}

/** `port` is the HTTP port, which the BMP port must not collide with. */
export function buildBmp(v: OptionValues, port: number): BmpListenConfig | null {
  const bmp = v.bool('bmp') ? { host: v.str('bmp-host')!, port: v.num('bmp-port', true) } : null;
  if (bmp && port !== 0 && bmp.port === port && bmp.port !== 0)
    throw configError(`--bmp-port and --port are both ${port}; pick different ports`);
  return bmp;
}
