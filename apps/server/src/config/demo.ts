/** The demo feed section of the configuration: whether the synthetic feed runs (auto: without other sources) and its size. */
import type { OptionValues } from './values.ts';

export interface DemoConfig {
  routers: number;
  peers: number;
  prefixes: number;
  rate: number;
}

/** `otherSource`: whether Kafka or replay is configured (demo `auto` then stays off). */
export function buildDemo(v: OptionValues, otherSource: boolean): DemoConfig | null {
  const demoMode = v.str('demo')!;
  const demoOn = demoMode === 'on' || (demoMode === 'auto' && !otherSource);
  return demoOn
    ? {
        routers: v.num('demo-routers', true),
        peers: v.num('demo-peers', true),
        prefixes: v.num('demo-prefixes', true),
        rate: v.num('demo-rate', false),
      }
    : null;
}
