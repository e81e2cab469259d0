/** Limits on what clients send, the same for both WebSocket endpoints (docs/websocket.md, docs/rislive.md). */
/** Client frames above this many bytes are refused with WS_ERR_TOO_LARGE. */
export const MAX_CLIENT_FRAME_BYTES = 1024 * 1024;

/** More client frames than this within one second are refused with WS_ERR_RATE_LIMIT. */
export const MAX_CLIENT_FRAMES_PER_SECOND = 20;

/** Client frames nesting arrays/objects deeper than this are refused with WS_ERR_TOO_DEEP (a filter needs 4). */
export const MAX_CLIENT_FRAME_DEPTH = 16;

/** Bytes of client frames a client may send in a burst, and per second after it (checked before parsing). */
export const CLIENT_BYTES_BURST = 2 * 1024 * 1024;

export const CLIENT_BYTES_PER_SECOND = 256 * 1024;
