/** The slice of a WebSocket the endpoints write to (ws's WebSocket, or a fake in tests). */
/** The part of a ws WebSocket the fan-out uses (tests use a fake). */
export interface SocketLike {
  readonly bufferedAmount: number;
  readonly readyState: number;
  /** Always with TEXT: batches are Buffers of UTF-8 JSON assembled from shared pieces, sent as text frames. */
  send(data: string | Buffer, opts: { binary: boolean }): void;
  close(code?: number, reason?: string): void;
  /** Destroys the connection at once (no closing handshake). */
  terminate(): void;
}

/** Send options for every frame: JSON text, even when handed over as a Buffer. */
export const TEXT = { binary: false };
