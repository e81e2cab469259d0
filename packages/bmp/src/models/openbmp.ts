/**
 * OpenBMP `raw_bmp` header v1.7 (what an OpenBMP collector puts before each BMP message in Kafka), from either
 * form: the binary one (RouteViews' collector) or the 2.x text one (OpenBMP's obmp-collector), which carries
 * fewer fields (no collection time, admin id or group: those are 0 / '').
 */
export interface OpenBmpHeader {
  form: OpenBmpHeaderForm;
  majorVersion: number;
  minorVersion: number;
  /** Whole header length: the BMP message starts at this offset. */
  headerLength: number;
  /** Length of the BMP message after the header. */
  bmpLength: number;
  flags: number;
  /** 12 = BMP_RAW. */
  objectType: number;
  /** Collector's receive time, seconds with microseconds as the fraction. */
  collectionTime: number;
  collectorHash: string;
  /** Collector admin id (its name). */
  adminId: string;
  routerHash: string;
  /** Router address; null when the router flag is not set. */
  routerIp: string | null;
  routerGroup: string;
  rowCount: number;
}

export type OpenBmpHeaderForm = 'binary' | 'text';

export const OBMP_MAGIC = 0x4f424d50;
export const OBMP_FLAG_ROUTER = 0x80;
export const OBMP_FLAG_ROUTER_IPV6 = 0x40;
export const OBMP_OBJECT_BMP_RAW = 12;
