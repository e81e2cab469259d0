/**
 * The Kafka (OpenBMP) section of the configuration: brokers, topics, group, SASL, TLS and codecs, built into the
 * `KafkaConfig` the Kafka source defines (sources/kafka-config.ts). The largest section, with its own checks.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseCodecList } from '@bmpwatch/kafka-codecs';
import type { KafkaConfig, KafkaStart, SaslMechanism } from '../sources/kafka-config.ts';
import { configError } from './errors.ts';
import type { OptionValues } from './values.ts';

/** null when no brokers are set (the Kafka source is off). `port` (HTTP) is part of the default group id. */
export function buildKafka(v: OptionValues, port: number): KafkaConfig | null {
  const brokers = v.list('kafka-brokers');
  if (brokers.length === 0) return null;
  for (const b of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b))
      throw configError(`${v.where('kafka-brokers')}: ${JSON.stringify(b)} is not host:port`);
  }
  const topicsText = v.get('kafka-topics')!.trim();
  let topics: string[] | RegExp;
  if (topicsText.length >= 2 && topicsText.startsWith('/') && topicsText.endsWith('/')) {
    try {
      topics = new RegExp(topicsText.slice(1, -1));
    } catch (e) {
      throw configError(`${v.where('kafka-topics')}: bad regular expression: ${(e as Error).message}`);
    }
  } else {
    topics = v.list('kafka-topics');
    if (topics.length === 0) throw configError(`${v.where('kafka-topics')}: no topic given`);
    const bad = topics.find((t) => !/^[A-Za-z0-9._-]{1,249}$/.test(t));
    if (bad !== undefined)
      throw configError(
        `${v.where('kafka-topics')}: ${JSON.stringify(bad)} is not a Kafka topic name (letters, digits, . _ -); write a pattern as /regex/`,
      );
  }
  const mechanism = v.str('kafka-sasl-mechanism') as SaslMechanism | null;
  const username = v.str('kafka-sasl-username');
  const password = v.str('kafka-sasl-password');
  if (mechanism !== null && (username === null || password === null))
    throw configError(
      `--kafka-sasl-mechanism ${mechanism} needs --kafka-sasl-username and BMPWATCH_KAFKA_SASL_PASSWORD`,
    );
  if (mechanism === null && (username !== null || password !== null))
    throw configError('a SASL username or password was given without --kafka-sasl-mechanism');
  const ca = v.str('kafka-tls-ca');
  if (ca !== null && !existsSync(ca))
    throw configError(`${v.where('kafka-tls-ca')}: file ${ca} does not exist`);
  const insecure = v.bool('kafka-tls-insecure');
  const codecs = () => {
    try {
      return parseCodecList(v.list('kafka-disable-codecs').join(','));
    } catch (e) {
      throw configError(`${v.where('kafka-disable-codecs')}: ${(e as Error).message}`);
    }
  };
  const group = v.given('kafka-group') ?? `bmpwatch-${hostname()}-${port}`;
  return {
    brokers,
    topics,
    groupId: group,
    clientId: v.str('kafka-client-id')!,
    start: v.str('kafka-start') as KafkaStart,
    topicRefreshMs: Math.round(v.num('kafka-topic-refresh', false) * 1000),
    sasl: mechanism === null ? null : { mechanism, username: username!, password: password! },
    tls: v.bool('kafka-tls') || ca !== null || insecure ? { ca, insecure } : null,
    disabledCodecs: codecs(),
  };
}
