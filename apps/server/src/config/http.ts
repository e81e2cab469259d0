/**
 * The HTTP section of the configuration: listen address, web app, WebSocket limits and the RIS Live endpoint.
 * One builder per section keeps each section's checks together and apart from the others.
 */
import { fileURLToPath } from 'node:url';
import type { OptionValues } from './values.ts';

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface HttpConfig {
  host: string;
  port: number;
  webDir: string;
  maxClients: number;
  wsQueueBytes: number;
  wsMaxBuffered: number;
  /** The RIS Live endpoint, or null when turned off. */
  risLive: { maxBuffered: number } | null;
  wsStallMs: number;
}

/** `port` is read first by parseArgs (the BMP and Kafka sections depend on it). */
export function buildHttp(v: OptionValues, port: number): HttpConfig {
  return {
    host: v.str('host')!,
    port,
    webDir: v.given('web-dir') ?? DEFAULT_WEB_DIR,
    maxClients: v.num('max-clients', true),
    wsQueueBytes: v.num('ws-queue-bytes', true),
    wsMaxBuffered: v.num('ws-max-buffered', true),
    risLive: v.bool('ris-live') ? { maxBuffered: v.num('ris-live-max-buffered', true) } : null,
    wsStallMs: Math.round(v.num('ws-stall-seconds', false) * 1000),
  };
}
