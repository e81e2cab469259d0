// Pure-JavaScript (de)compressors that ship no types: the snappy codec, and the LZ4 peer of `pnpm bench:codecs`.
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array): Uint8Array;
}
declare module 'lz4js' {
  export function decompress(input: Uint8Array): Uint8Array;
}
