/**
 * Configuration from flags and environment variables, described by one table: parsing, validation, `--help`
 * and docs/configuration.md all follow it (a test checks the document lists every option). Flags win over
 * environment variables, which win over defaults. Errors name the flag, the variable and the bad value.
 */
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCodecList } from '@bmpwatch/kafka-codecs';
import { ServerError } from '../lib/errors.ts';
import { canonicalOrigin } from '../plugins/access-rules.ts';
import { DEFAULT_RIS_MAX_BUFFERED } from '../rislive/hub.ts';
import type { KafkaConfig, KafkaStart, SaslMechanism } from '../sources/kafka-config.ts';

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list';

interface OptionSpec {
  /** Flag name without the leading dashes. */
  flag: string;
  env: string[];
  kind: Kind;
  /** Default as shown in --help (undefined: unset). */
  default?: string;
  /** Allowed values for enumerations. */
  values?: readonly string[];
  min?: number;
  max?: number;
  help: string;
  group: string;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Every option. Order and groups are what --help and docs/configuration.md show. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    group: 'HTTP',
    flag: 'host',
    env: ['HOST', 'BMPWATCH_HOST'],
    kind: 'string',
    default: '127.0.0.1',
    help: 'Address the HTTP server (dashboard, API, WebSocket) listens on; 0.0.0.0 for all interfaces.',
  },
  {
    group: 'HTTP',
    flag: 'port',
    env: ['PORT', 'BMPWATCH_PORT'],
    kind: 'int',
    default: '8080',
    min: 0,
    max: 65535,
    help: 'HTTP port (0: any free port).',
  },
  {
    group: 'HTTP',
    flag: 'web-dir',
    env: ['BMPWATCH_WEB_DIR'],
    kind: 'string',
    default: 'apps/web/dist',
    help: 'Built web app to serve (pnpm build:web writes it).',
  },
  {
    group: 'HTTP',
    flag: 'max-clients',
    env: ['BMPWATCH_MAX_CLIENTS'],
    kind: 'int',
    default: '1000',
    min: 1,
    help: 'WebSocket clients served at once, /api/ws and /v1/ws/ together; more are closed with code 1013.',
  },
  {
    group: 'HTTP',
    flag: 'ws-queue-bytes',
    env: ['BMPWATCH_WS_QUEUE_BYTES'],
    kind: 'int',
    default: String(4 * 1024 * 1024),
    min: 1024,
    help: 'Route events (serialized bytes) queued per client before dropping with a "dropped" notice.',
  },
  {
    group: 'HTTP',
    flag: 'ws-max-buffered',
    env: ['BMPWATCH_WS_MAX_BUFFERED'],
    kind: 'int',
    default: String(4 * 1024 * 1024),
    min: 1024,
    help: 'Bytes waiting in a client socket above which nothing more is sent to it.',
  },
  {
    group: 'HTTP',
    flag: 'ris-live',
    env: ['BMPWATCH_RIS_LIVE'],
    kind: 'bool',
    default: 'true',
    help: 'Serve the RIS Live-compatible WebSocket endpoint at /v1/ws/ (docs/rislive.md).',
  },
  {
    group: 'HTTP',
    flag: 'ris-live-max-buffered',
    env: ['BMPWATCH_RIS_LIVE_MAX_BUFFERED'],
    kind: 'int',
    default: String(DEFAULT_RIS_MAX_BUFFERED),
    min: 1024,
    help: 'Bytes waiting for a RIS Live client above which it gets a ris_error and is disconnected (too slow).',
  },
  {
    group: 'HTTP',
    flag: 'ws-stall-seconds',
    env: ['BMPWATCH_WS_STALL_SECONDS'],
    kind: 'number',
    default: '30',
    min: 1,
    help: 'A client whose socket stays over --ws-max-buffered this long gets WS_ERR_SLOW_CLIENT and is closed (4001).',
  },

  {
    group: 'Access control',
    flag: 'auth-token',
    env: ['BMPWATCH_AUTH_TOKEN'],
    kind: 'string',
    help: 'Require this token (16+ characters) for the API, /metrics and the WebSockets: Authorization: Bearer, or ?token= (prefer the environment variable).',
  },
  {
    group: 'Access control',
    flag: 'allowed-origins',
    env: ['BMPWATCH_ALLOWED_ORIGINS'],
    kind: 'list',
    help: 'Browser origins allowed to use the server (e.g. https://bgp.example.net); others get 403. Unset: any origin.',
  },
  {
    group: 'Access control',
    flag: 'max-clients-per-ip',
    env: ['BMPWATCH_MAX_CLIENTS_PER_IP'],
    kind: 'int',
    default: '100 (0 when --host is a loopback address)',
    min: 0,
    help: 'WebSocket connections open at once from one client address; more get 429. 0: no limit.',
  },
  {
    group: 'Access control',
    flag: 'rate-limit',
    env: ['BMPWATCH_RATE_LIMIT'],
    kind: 'int',
    default: '1200 (0 when --host is a loopback address)',
    min: 0,
    help: 'HTTP requests (WebSocket upgrades included) per minute from one client address; more get 429. 0: no limit.',
  },

  {
    group: 'BMP listener',
    flag: 'bmp',
    env: ['BMPWATCH_BMP'],
    kind: 'bool',
    default: 'true',
    help: 'Accept BMP sessions from routers over TCP (--no-bmp turns it off).',
  },
  {
    group: 'BMP listener',
    flag: 'bmp-host',
    env: ['BMPWATCH_BMP_HOST'],
    kind: 'string',
    default: '0.0.0.0',
    help: 'Address the BMP listener binds.',
  },
  {
    group: 'BMP listener',
    flag: 'bmp-port',
    env: ['BMPWATCH_BMP_PORT'],
    kind: 'int',
    default: '11019',
    min: 0,
    max: 65535,
    help: 'BMP listener port (0: any free port).',
  },

  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-brokers',
    env: ['BMPWATCH_KAFKA_BROKERS'],
    kind: 'list',
    help: 'Comma-separated host:port list; setting it enables the Kafka source.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-topics',
    env: ['BMPWATCH_KAFKA_TOPICS'],
    kind: 'string',
    default: 'openbmp.bmp_raw',
    help: 'Comma-separated topics, or one /regex/ (topics created later that match are picked up).',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-group',
    env: ['BMPWATCH_KAFKA_GROUP'],
    kind: 'string',
    default: 'bmpwatch-<hostname>-<port>',
    help: 'Consumer group id. Each replica needs its own group to see the whole stream (the default differs per host and HTTP port).',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-client-id',
    env: ['BMPWATCH_KAFKA_CLIENT_ID'],
    kind: 'string',
    default: 'bmpwatch',
    help: 'Kafka client id.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-start',
    env: ['BMPWATCH_KAFKA_START'],
    kind: 'string',
    default: 'latest',
    values: ['latest', 'earliest', 'committed'],
    help: "Where to start at process start: latest (live), earliest (all retained) or committed (the group's offsets; latest where none).",
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-topic-refresh',
    env: ['BMPWATCH_KAFKA_TOPIC_REFRESH'],
    kind: 'number',
    default: '2',
    min: 0.1,
    help: 'Seconds between topic metadata checks: topics created later (matching a /regex/, or named in the list) are consumed within about this time.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-disable-codecs',
    env: ['BMPWATCH_KAFKA_DISABLE_CODECS'],
    kind: 'list',
    help: 'Compression codecs to leave out (gzip, snappy, lz4, zstd), as if this build lacked them: to check what a consumer without one reports. All four are read by default.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-sasl-mechanism',
    env: ['BMPWATCH_KAFKA_SASL_MECHANISM'],
    kind: 'string',
    values: ['plain', 'scram-sha-256', 'scram-sha-512'],
    help: 'SASL mechanism; needs a username and password.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-sasl-username',
    env: ['BMPWATCH_KAFKA_SASL_USERNAME'],
    kind: 'string',
    help: 'SASL username.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-sasl-password',
    env: ['BMPWATCH_KAFKA_SASL_PASSWORD'],
    kind: 'string',
    help: 'SASL password (prefer the environment variable over the flag).',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-tls',
    env: ['BMPWATCH_KAFKA_TLS'],
    kind: 'bool',
    default: 'false',
    help: 'Connect to the brokers with TLS.',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-tls-ca',
    env: ['BMPWATCH_KAFKA_TLS_CA'],
    kind: 'string',
    help: 'PEM file of CA certificates to trust (implies --kafka-tls).',
  },
  {
    group: 'Kafka (OpenBMP)',
    flag: 'kafka-tls-insecure',
    env: ['BMPWATCH_KAFKA_TLS_INSECURE'],
    kind: 'bool',
    default: 'false',
    help: "Do not verify the brokers' certificates (testing only).",
  },

  {
    group: 'Replay',
    flag: 'replay',
    env: ['BMPWATCH_REPLAY'],
    kind: 'string',
    help: 'Capture file to play (raw BMP or OpenBMP raw_bmp messages, told apart per message).',
  },
  {
    group: 'Replay',
    flag: 'replay-speed',
    env: ['BMPWATCH_REPLAY_SPEED'],
    kind: 'number',
    default: '1',
    min: 0,
    help: 'Playback speed: 1 original timing, 10 ten times faster, 0 as fast as possible.',
  },
  {
    group: 'Replay',
    flag: 'replay-loop',
    env: ['BMPWATCH_REPLAY_LOOP'],
    kind: 'bool',
    default: 'true',
    help: 'Start again at the end of the file.',
  },
  {
    group: 'Replay',
    flag: 'replay-router',
    env: ['BMPWATCH_REPLAY_ROUTER'],
    kind: 'string',
    default: '<file name>',
    help: 'Router id for raw BMP files (OpenBMP files name their routers).',
  },

  {
    group: 'Demo feed',
    flag: 'demo',
    env: ['BMPWATCH_DEMO'],
    kind: 'string',
    default: 'auto',
    values: ['auto', 'on', 'off'],
    help: 'Synthetic feed; auto: on when neither Kafka nor replay is configured.',
  },
  {
    group: 'Demo feed',
    flag: 'demo-routers',
    env: ['BMPWATCH_DEMO_ROUTERS'],
    kind: 'int',
    default: '3',
    min: 1,
    max: 50,
    help: 'Demo routers.',
  },
  {
    group: 'Demo feed',
    flag: 'demo-peers',
    env: ['BMPWATCH_DEMO_PEERS'],
    kind: 'int',
    default: '4',
    min: 1,
    max: 100,
    help: 'Peers per demo router.',
  },
  {
    group: 'Demo feed',
    flag: 'demo-prefixes',
    env: ['BMPWATCH_DEMO_PREFIXES'],
    kind: 'int',
    default: '2000',
    min: 10,
    max: 1_000_000,
    help: "Routes in each demo peer's initial table dump.",
  },
  {
    group: 'Demo feed',
    flag: 'demo-rate',
    env: ['BMPWATCH_DEMO_RATE'],
    kind: 'number',
    default: '40',
    min: 0,
    help: 'Demo churn in UPDATE messages per second (all routers).',
  },

  {
    group: 'General',
    flag: 'log-level',
    env: ['BMPWATCH_LOG_LEVEL'],
    kind: 'string',
    default: 'info',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    help: 'Log level (logs are JSON lines on stdout).',
  },
];

export interface AccessConfig {
  /** null: no token needed. */
  authToken: string | null;
  /** Canonical origins (scheme://host[:port]); empty: any. */
  allowedOrigins: string[];
  /** 0: no limit. */
  maxClientsPerIp: number;
  /** Requests per minute per client address; 0: no limit. */
  rateLimitPerMinute: number;
}

export interface Config {
  host: string;
  port: number;
  webDir: string;
  maxClients: number;
  wsQueueBytes: number;
  wsMaxBuffered: number;
  /** The RIS Live endpoint, or null when turned off. */
  risLive: { maxBuffered: number } | null;
  wsStallMs: number;
  access: AccessConfig;
  bmp: { host: string; port: number } | null;
  kafka: KafkaConfig | null;
  replay: { file: string; speed: number; loop: boolean; router: string } | null;
  demo: { routers: number; peers: number; prefixes: number; rate: number } | null;
  logLevel: string;
}

export type ParsedArgs = { help: true } | { help: false; config: Config };

function configError(message: string): ServerError {
  return new ServerError('BMPWATCH_ERR_CONFIG', message);
}

function describe(o: OptionSpec, fromEnv: string | null): string {
  return fromEnv ? `${fromEnv} (--${o.flag})` : `--${o.flag}`;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Raw string values by flag, from argv (winning) and env. */
function collect(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { raw: Map<string, { value: string; env: string | null }>; help: boolean } {
  const byFlag = new Map(OPTIONS.map((o) => [o.flag, o]));
  const raw = new Map<string, { value: string; env: string | null }>();
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

/** Whether binding `host` leaves the server reachable from this machine only. */
function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Parses argv (without node and script) and the environment into a validated Config. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const { raw, help } = collect(argv, env);
  if (help) return { help: true };
  const specs = new Map(OPTIONS.map((o) => [o.flag, o]));

  const get = (flag: string): string | undefined => raw.get(flag)?.value ?? specs.get(flag)?.default;
  const where = (flag: string) => describe(specs.get(flag)!, raw.get(flag)?.env ?? null);
  const str = (flag: string): string | null => {
    const v = get(flag);
    if (v === undefined) return null;
    const o = specs.get(flag)!;
    if (o.values && !o.values.includes(v))
      throw configError(`${where(flag)}: ${JSON.stringify(v)} is not one of ${o.values.join(', ')}`);
    return v;
  };
  const num = (flag: string, integer: boolean): number => {
    const v = get(flag)!;
    const o = specs.get(flag)!;
    const n = Number(v);
    const ok = v.trim() !== '' && Number.isFinite(n) && (!integer || Number.isInteger(n));
    if (!ok)
      throw configError(`${where(flag)}: ${JSON.stringify(v)} is not ${integer ? 'an integer' : 'a number'}`);
    if (o.min !== undefined && n < o.min)
      throw configError(`${where(flag)}: ${n} is below the minimum ${o.min}`);
    if (o.max !== undefined && n > o.max)
      throw configError(`${where(flag)}: ${n} is above the maximum ${o.max}`);
    return n;
  };
  const bool = (flag: string): boolean => {
    const v = get(flag)!.toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    throw configError(
      `${where(flag)}: ${JSON.stringify(v)} is not a boolean (true/false, 1/0, yes/no, on/off)`,
    );
  };
  const list = (flag: string): string[] =>
    (get(flag) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');

  // Per-address limits guard a server others can reach; on a loopback address every client is the user
  // (or a proxy in front, which must do the limiting itself), so they are off unless set explicitly.
  const perAddressLimit = (flag: string, publicDefault: number): number =>
    raw.has(flag) ? num(flag, true) : isLoopbackHost(str('host')!) ? 0 : publicDefault;

  const port = num('port', true);
  const bmp = bool('bmp') ? { host: str('bmp-host')!, port: num('bmp-port', true) } : null;
  if (bmp && port !== 0 && bmp.port === port && bmp.port !== 0)
    throw configError(`--bmp-port and --port are both ${port}; pick different ports`);

  let kafka: KafkaConfig | null = null;
  const brokers = list('kafka-brokers');
  if (brokers.length > 0) {
    for (const b of brokers) {
      if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b))
        throw configError(`${where('kafka-brokers')}: ${JSON.stringify(b)} is not host:port`);
    }
    const topicsText = get('kafka-topics')!.trim();
    let topics: string[] | RegExp;
    if (topicsText.length >= 2 && topicsText.startsWith('/') && topicsText.endsWith('/')) {
      try {
        topics = new RegExp(topicsText.slice(1, -1));
      } catch (e) {
        throw configError(`${where('kafka-topics')}: bad regular expression: ${(e as Error).message}`);
      }
    } else {
      topics = list('kafka-topics');
      if (topics.length === 0) throw configError(`${where('kafka-topics')}: no topic given`);
      const bad = topics.find((t) => !/^[A-Za-z0-9._-]{1,249}$/.test(t));
      if (bad !== undefined)
        throw configError(
          `${where('kafka-topics')}: ${JSON.stringify(bad)} is not a Kafka topic name (letters, digits, . _ -); write a pattern as /regex/`,
        );
    }
    const mechanism = str('kafka-sasl-mechanism') as SaslMechanism | null;
    const username = str('kafka-sasl-username');
    const password = str('kafka-sasl-password');
    if (mechanism !== null && (username === null || password === null))
      throw configError(
        `--kafka-sasl-mechanism ${mechanism} needs --kafka-sasl-username and BMPWATCH_KAFKA_SASL_PASSWORD`,
      );
    if (mechanism === null && (username !== null || password !== null))
      throw configError('a SASL username or password was given without --kafka-sasl-mechanism');
    const ca = str('kafka-tls-ca');
    if (ca !== null && !existsSync(ca))
      throw configError(`${where('kafka-tls-ca')}: file ${ca} does not exist`);
    const insecure = bool('kafka-tls-insecure');
    const codecs = () => {
      try {
        return parseCodecList(list('kafka-disable-codecs').join(','));
      } catch (e) {
        throw configError(`${where('kafka-disable-codecs')}: ${(e as Error).message}`);
      }
    };
    const group = raw.get('kafka-group')?.value ?? `bmpwatch-${hostname()}-${port}`;
    kafka = {
      brokers,
      topics,
      groupId: group,
      clientId: str('kafka-client-id')!,
      start: str('kafka-start') as KafkaStart,
      topicRefreshMs: Math.round(num('kafka-topic-refresh', false) * 1000),
      sasl: mechanism === null ? null : { mechanism, username: username!, password: password! },
      tls: bool('kafka-tls') || ca !== null || insecure ? { ca, insecure } : null,
      disabledCodecs: codecs(),
    };
  }

  let replay: Config['replay'] = null;
  const file = str('replay');
  if (file !== null) {
    if (!existsSync(file) || !statSync(file).isFile())
      throw configError(`${where('replay')}: ${file} is not a readable file`);
    replay = {
      file,
      speed: num('replay-speed', false),
      loop: bool('replay-loop'),
      router: raw.get('replay-router')?.value ?? basename(file),
    };
  }

  const authToken = str('auth-token');
  if (authToken !== null && (authToken.length < 16 || /\s/.test(authToken)))
    throw configError(`${where('auth-token')}: a token needs 16 or more characters and no spaces`);
  const allowedOrigins = list('allowed-origins').map((o) => {
    const canon = canonicalOrigin(o);
    if (canon === null || !/^https?:\/\//.test(canon))
      throw configError(
        `${where('allowed-origins')}: ${JSON.stringify(o)} is not an origin like https://host[:port]`,
      );
    return canon;
  });
  const access: AccessConfig = {
    authToken,
    allowedOrigins,
    maxClientsPerIp: perAddressLimit('max-clients-per-ip', 100),
    rateLimitPerMinute: perAddressLimit('rate-limit', 1200),
  };

  const demoMode = str('demo')!;
  const demoOn = demoMode === 'on' || (demoMode === 'auto' && kafka === null && replay === null);
  const demo = demoOn
    ? {
        routers: num('demo-routers', true),
        peers: num('demo-peers', true),
        prefixes: num('demo-prefixes', true),
        rate: num('demo-rate', false),
      }
    : null;

  return {
    help: false,
    config: {
      host: str('host')!,
      port,
      webDir: raw.get('web-dir')?.value ?? DEFAULT_WEB_DIR,
      maxClients: num('max-clients', true),
      wsQueueBytes: num('ws-queue-bytes', true),
      wsMaxBuffered: num('ws-max-buffered', true),
      risLive: bool('ris-live') ? { maxBuffered: num('ris-live-max-buffered', true) } : null,
      wsStallMs: Math.round(num('ws-stall-seconds', false) * 1000),
      access,
      bmp,
      kafka,
      replay,
      demo,
      logLevel: str('log-level')!,
    },
  };
}

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
