/**
 * Every way bytes can fail to decode, as stable codes. The decoder never throws past its API:
 * framing faults come back as a `BmpError` value, attribute faults as `UpdateWarning`s on the update.
 */
export const ErrorCodes = {
  /** Input ended before a length field said it would. */
  BMP_ERR_TRUNCATED: 'input ends before the message does',
  /** BMP common header version is not 3. */
  BMP_ERR_VERSION: 'unsupported BMP version',
  /** A BMP length field is impossible (smaller than its header, larger than the limit). */
  BMP_ERR_LENGTH: 'invalid BMP message length',
  /** BMP message type outside the IANA registry we know. */
  BMP_ERR_TYPE: 'unknown BMP message type',
  /** The message body is inconsistent with its header (e.g. TLV overruns the message). */
  BMP_ERR_MALFORMED: 'malformed BMP message body',
  /** BGP marker is not 16 bytes of 0xff. */
  BGP_ERR_MARKER: 'BGP message marker is not all ones',
  /** BGP length field is impossible or disagrees with the space the BMP message gives it. */
  BGP_ERR_LENGTH: 'invalid BGP message length',
  /** BGP message type unexpected here (e.g. not UPDATE in Route Monitoring). */
  BGP_ERR_TYPE: 'unexpected BGP message type',
  /** UPDATE framing is broken: withdrawn or attribute lengths overrun the message. */
  BGP_ERR_UPDATE: 'malformed BGP UPDATE',
  /** NLRI (prefix) encoding is broken: length beyond the address family, or overruns. */
  BGP_ERR_NLRI: 'malformed NLRI',
  /** OPEN message is malformed. */
  BGP_ERR_OPEN: 'malformed BGP OPEN',
  /** Neither OpenBMP header form: no "OBMP" magic, no "V:" text. */
  OBMP_ERR_MAGIC: 'not an OpenBMP message (bad magic)',
  /** An OpenBMP 2.x text header ("V: 1.7\n…\n\n") that is malformed: no "L:", a bad line or router address. */
  OBMP_ERR_TEXT_HEADER: 'malformed OpenBMP text header',
  /** OpenBMP header version other than 1.x. */
  OBMP_ERR_VERSION: 'unsupported OpenBMP header version',
  /** OpenBMP object type is not BMP_RAW (12). */
  OBMP_ERR_OBJECT_TYPE: 'OpenBMP object is not a raw BMP message',
  /** OpenBMP header or BMP length fields are inconsistent. */
  OBMP_ERR_LENGTH: 'invalid OpenBMP header length',
  /** The stream names more routers than the decoder keeps sessions for (a bound against hostile headers). */
  OBMP_ERR_ROUTERS: 'too many routers in one OpenBMP stream',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** A decode failure: what went wrong, where (byte offset into the input given), and in which message. */
export class BmpError {
  readonly type = 'error' as const;
  constructor(
    readonly code: ErrorCode,
    /** Byte offset into the buffer passed to the API call. */
    readonly offset: number,
    /** Human-readable detail. */
    readonly message: string,
    /** BMP message type code, when the common header was readable. */
    readonly bmpType: number | null = null,
  ) {}

  toString(): string {
    return `${this.code} at byte ${this.offset}: ${this.message}`;
  }
}

export function isBmpError(x: unknown): x is BmpError {
  return x instanceof BmpError;
}

/**
 * Internal control flow: thrown by the readers on bad bytes, caught at the API boundary and turned
 * into a `BmpError`. Not an `Error` subclass so no stack trace is captured on hostile input.
 */
export class Fault {
  constructor(
    readonly code: ErrorCode,
    readonly offset: number,
    readonly detail: string,
  ) {}
}

export function fault(code: ErrorCode, offset: number, detail: string = ErrorCodes[code]): never {
  throw new Fault(code, offset, detail);
}

/** Converts anything caught at the API boundary into a BmpError (a non-Fault is a decoder bug, still contained). */
export function toBmpError(e: unknown, base: number, bmpType: number | null): BmpError {
  if (e instanceof Fault) return new BmpError(e.code, e.offset - base, e.detail, bmpType);
  const msg = e instanceof Error ? e.message : String(e);
  return new BmpError('BMP_ERR_MALFORMED', 0, `internal decoder fault: ${msg}`, bmpType);
}
