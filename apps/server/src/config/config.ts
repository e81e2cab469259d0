/**
 * The typed server configuration and `parseArgs`, which composes it: argv and environment are read into raw
 * values (read.ts) following the option table (options.ts), then each section is built and checked by its own
 * builder. Flags win over environment variables, which win over defaults. Errors name the flag, the variable
 * and the bad value.
 */
import type { KafkaConfig } from '../sources/kafka-config.ts';
import { type AccessConfig, buildAccess } from './access.ts';
import { type BmpListenConfig, buildBmp } from './bmp.ts';
import { buildDemo, type DemoConfig } from './demo.ts';
import { buildHttp, type HttpConfig } from './http.ts';
import { buildKafka } from './kafka.ts';
import { readRaw } from './read.ts';
import { buildReplay, type ReplayConfig } from './replay.ts';
import { OptionValues } from './values.ts';

export interface Config extends HttpConfig {
  access: AccessConfig;
  bmp: BmpListenConfig | null;
  kafka: KafkaConfig | null;
  replay: ReplayConfig | null;
  demo: DemoConfig | null;
  logLevel: string;
}

export type ParsedArgs = { help: true } | { help: false; config: Config };

/** Parses argv (without node and script) and the environment into a validated Config. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const { raw, help } = readRaw(argv, env);
  if (help) return { help: true };
  const v = new OptionValues(raw);

  // Sections are built in this order so that, of several bad values, the same one is reported as always.
  const port = v.num('port', true);
  const bmp = buildBmp(v, port);
  const kafka = buildKafka(v, port);
  const replay = buildReplay(v);
  const access = buildAccess(v);
  const demo = buildDemo(v, kafka !== null || replay !== null);
  const http = buildHttp(v, port);

  return {
    help: false,
    config: { ...http, access, bmp, kafka, replay, demo, logLevel: v.str('log-level')! },
  };
}
