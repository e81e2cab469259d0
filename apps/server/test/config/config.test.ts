import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/config.ts';
import { helpText } from '../../src/config/help.ts';
import { OPTIONS } from '../../src/config/options.ts';

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = parseArgs(argv, env);
  if (r.help) throw new Error('help');
  return r.config;
};
const fails = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseArgs(argv, env);
  } catch (e) {
    return (e as Error & { code: string }).code + ': ' + (e as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('defaults to demo feed + BMP listener + dashboard on 127.0.0.1:8080', () => {
    const c = config([]);
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      bmp: { host: '0.0.0.0', port: 11019 },
      kafka: null,
      replay: null,
    });
    expect(c.demo).toEqual({ routers: 3, peers: 4, prefixes: 2000, rate: 40 });
  });

  it('honours PORT and HOST, BMPWATCH_* variables, and flags over the environment', () => {
    expect(config([], { PORT: '9000', HOST: '0.0.0.0' })).toMatchObject({ port: 9000, host: '0.0.0.0' });
    expect(config(['--port=9100'], { PORT: '9000' }).port).toBe(9100);
    expect(config([], { BMPWATCH_BMP: 'off' }).bmp).toBeNull();
    expect(config(['--no-bmp']).bmp).toBeNull();
    expect(config(['--', '--bmp-port', '0']).bmp?.port).toBe(0);
  });

  it('configures Kafka: list or /regex/ topics, SASL, TLS, and turns the demo off', () => {
    const c = config(
      ['--kafka-brokers', 'k1:9092, k2:9093', '--kafka-topics', '/^routeviews\\..+\\.bmp_raw$/'],
      {
        BMPWATCH_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        BMPWATCH_KAFKA_SASL_USERNAME: 'u',
        BMPWATCH_KAFKA_SASL_PASSWORD: 'p',
        BMPWATCH_KAFKA_TLS: 'yes',
      },
    );
    expect(c.demo).toBeNull();
    expect(c.kafka).toMatchObject({
      brokers: ['k1:9092', 'k2:9093'],
      groupId: `bmpwatch-${hostname()}-8080`,
      start: 'latest',
      topicRefreshMs: 2000,
      disabledCodecs: [],
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      tls: { ca: null, insecure: false },
    });
    expect((c.kafka!.topics as RegExp).test('routeviews.amsix.ams.61955.bmp_raw')).toBe(true);
    expect(config(['--kafka-brokers', 'k:1', '--kafka-topics', 'a.b,c']).kafka!.topics).toEqual(['a.b', 'c']);
    expect(config(['--kafka-brokers', 'k:1', '--demo', 'on']).demo).not.toBeNull();
  });

  it('rejects bad values with the flag, the variable and the value', () => {
    expect(fails(['--port', 'abc'])).toBe('BMPWATCH_ERR_CONFIG: --port: "abc" is not an integer');
    expect(fails([], { PORT: '70000' })).toBe(
      'BMPWATCH_ERR_CONFIG: PORT (--port): 70000 is above the maximum 65535',
    );
    expect(fails(['--kafka-start', 'now', '--kafka-brokers', 'k:1'])).toContain(
      '"now" is not one of latest, earliest, committed',
    );
    expect(fails(['--kafka-brokers', 'nohost'])).toContain('"nohost" is not host:port');
    expect(fails(['--kafka-brokers', 'k:1', '--kafka-topics', '/(/'])).toContain('bad regular expression');
    expect(fails(['--kafka-brokers', 'k:1', '--kafka-sasl-mechanism', 'plain'])).toContain(
      'needs --kafka-sasl-username',
    );
    expect(fails(['--replay', '/nonexistent/file.bmp'])).toContain('is not a readable file');
    expect(fails(['--bogus'])).toBe('BMPWATCH_ERR_CONFIG: unknown option --bogus (see --help for the list)');
    expect(fails(['--port'])).toContain('--port needs a value');
    expect(fails(['--bmp', 'maybe'])).toContain('unexpected argument');
    expect(fails([], { BMPWATCH_BMP: 'maybe' })).toContain('BMPWATCH_BMP (--bmp): "maybe" is not a boolean');
    expect(fails(['--port', '9000', '--bmp-port', '9000'])).toContain('pick different ports');
  });

  it('keeps access control open on a default start, and checks what a deployment sets', () => {
    expect(config([]).access).toEqual({
      authToken: null,
      allowedOrigins: [],
      maxClientsPerIp: 0,
      rateLimitPerMinute: 0,
    });
    // Per-address limits switch on by default once the server is reachable from elsewhere.
    for (const host of ['0.0.0.0', '::', '192.0.2.7']) {
      expect(config(['--host', host]).access).toMatchObject({
        maxClientsPerIp: 100,
        rateLimitPerMinute: 1200,
      });
    }
    for (const host of ['localhost', '::1', '127.0.0.2']) {
      expect(config(['--host', host]).access).toMatchObject({ maxClientsPerIp: 0, rateLimitPerMinute: 0 });
    }
    expect(config(['--rate-limit', '60'], { BMPWATCH_MAX_CLIENTS_PER_IP: '5' }).access).toMatchObject({
      maxClientsPerIp: 5,
      rateLimitPerMinute: 60,
    });
    const c = config(['--allowed-origins', 'https://BGP.example.net/, http://10.0.0.5:8080'], {
      BMPWATCH_AUTH_TOKEN: 'abcdefghijklmnop',
    });
    expect(c.access.authToken).toBe('abcdefghijklmnop');
    expect(c.access.allowedOrigins).toEqual(['https://bgp.example.net', 'http://10.0.0.5:8080']);
    expect(fails(['--auth-token', 'short'])).toContain('a token needs 16 or more characters');
    expect(fails(['--allowed-origins', 'bgp.example.net'])).toContain('is not an origin like https://');
  });

  it('lists every option in --help and in docs/configuration.md', () => {
    expect(parseArgs(['--help'])).toEqual({ help: true });
    const help = helpText();
    const doc = readFileSync(
      fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url)),
      'utf8',
    );
    for (const o of OPTIONS) {
      expect(help).toContain(`--${o.flag}`);
      expect(doc, `docs/configuration.md lacks --${o.flag}`).toContain(`--${o.flag}`);
      for (const e of o.env) expect(doc, `docs/configuration.md lacks ${e}`).toContain(e);
    }
  });
});
