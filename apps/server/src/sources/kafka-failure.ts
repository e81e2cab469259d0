/**
 * Why a Kafka consumer cannot read, in words an operator acts on. kafkajs reports failures as error classes
 * (and protocol error types) wrapped in retry errors; this names the kind and says what to do about it, so
 * /api/health, /metrics and the dashboard show a reason instead of a restart count.
 */

export const KAFKA_FAILURE_KINDS = [
  /** A batch is compressed with a codec this process lacks. */
  'codec',
  /** A batch does not decompress or decode (CRC mismatch, bad frame). */
  'corrupt',
  /** The broker refused our credentials or our access to a topic or group. */
  'authorization',
  /** A configured topic does not exist. */
  'topic',
  /** The broker cannot be reached or stopped answering. */
  'broker',
  /** The consumer's worker thread died (e.g. out of memory) and is being restarted. */
  'worker',
  'other',
] as const;
export type KafkaFailureKind = (typeof KAFKA_FAILURE_KINDS)[number];

export interface KafkaFailure {
  kind: KafkaFailureKind;
  /** One line: what failed and, where it helps, what to do. */
  message: string;
}

interface ErrorLike {
  name?: string;
  type?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  originalError?: unknown;
}

/** The chain of errors kafkajs wraps (retry errors hold the original in `cause` / `originalError`). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = err;
  while (e !== null && typeof e === 'object' && out.length < 8) {
    const x = e as ErrorLike;
    out.push(x);
    e = x.cause ?? x.originalError;
  }
  return out;
}

const AUTH_TYPES = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);
const CORRUPT_TYPES = new Set(['CORRUPT_MESSAGE', 'INVALID_RECORD']);

/** Decompression libraries' own words for bad input (zlib, lz4_flex, zstd, snappy, our xerial reader). */
const CORRUPT_TEXT =
  /checksum|corrupt|incorrect header|invalid (block|frame|stored|distance|code|literal)|unexpected end|unknown frame|xerial|decompress|snappy|lz4|zstd|crc/i;

export function classifyKafkaError(err: unknown): KafkaFailure {
  const errors = chain(err);
  const text = errors.map((e) => e.message ?? '').find((m) => m !== '') ?? String(err);
  for (const e of errors) {
    if (
      e.name === 'KafkaJSNotImplemented' ||
      /compression (not implemented|is disabled)/i.test(e.message ?? '')
    ) {
      return {
        kind: 'codec',
        message: `cannot decompress the batches: ${e.message}`,
      };
    }
  }
  for (const e of errors) {
    if ((e.type !== undefined && AUTH_TYPES.has(e.type)) || e.name === 'KafkaJSSASLAuthenticationError')
      return { kind: 'authorization', message: `not authorized: ${e.message ?? e.type}` };
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION')
      return { kind: 'topic', message: `topic missing: ${e.message ?? e.type}` };
    if (
      (e.type !== undefined && CORRUPT_TYPES.has(e.type)) ||
      e.name === 'KafkaJSUnsupportedMagicByteInMessageSet'
    )
      return { kind: 'corrupt', message: `corrupt batch: ${e.message ?? e.type}` };
  }
  for (const e of errors) {
    if (
      e.name === 'KafkaJSConnectionError' ||
      e.name === 'KafkaJSConnectionClosedError' ||
      e.name === 'KafkaJSRequestTimeoutError' ||
      e.name === 'KafkaJSBrokerNotFound' ||
      e.name === 'KafkaJSNoBrokerAvailableError' ||
      e.name === 'KafkaJSGroupCoordinatorNotFound' ||
      (e.code !== undefined && /^E(CONNREFUSED|CONNRESET|HOSTUNREACH|NOTFOUND|TIMEDOUT|PIPE)$/.test(e.code))
    )
      return { kind: 'broker', message: `broker unreachable: ${e.message}` };
  }
  // Errors thrown by the codecs themselves (not kafkajs classes) mean the compressed bytes are bad.
  if (errors.some((e) => !(e.name ?? '').startsWith('KafkaJS') && CORRUPT_TEXT.test(e.message ?? '')))
    return { kind: 'corrupt', message: `corrupt batch: ${text}` };
  return { kind: 'other', message: text };
}

/**
 * Whether a failure of this kind can clear without anyone acting (a broker coming back): such failures keep
 * the source 'connecting'; the others make it 'error' until they clear.
 */
export function isTransient(kind: KafkaFailureKind): boolean {
  return kind === 'broker' || kind === 'other' || kind === 'worker';
}

// How long to wait between attempts while a failure lasts (consumer restarts and worker restarts alike).
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** The wait before retry number `failures` (1, 2, …): 1 s doubling to 30 s, ±25 % so replicas spread out. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(Math.max(failures - 1, 0), 10));
  return Math.round(base * (0.75 + random() / 2));
}
