/**
 * Reference facts about BMP captures that do not come from our decoder: message counts from walking
 * the raw stream's common headers, and (below) routes as Wireshark's BMP/BGP dissectors see them.
 */

export const BMP_TYPES = [
  'route_monitoring',
  'statistics_report',
  'peer_down',
  'peer_up',
  'initiation',
  'termination',
  'route_mirroring',
] as const;

export type BmpTypeName = (typeof BMP_TYPES)[number];
export type BmpCounts = Record<BmpTypeName, number>;

export function emptyCounts(): BmpCounts {
  return Object.fromEntries(BMP_TYPES.map((t) => [t, 0])) as BmpCounts;
}

/**
 * Counts messages by walking RFC 7854 common headers (version 3, 4-byte length, type). Needs no
 * decoder: it only trusts the length field. Throws on anything that is not a clean BMP v3 stream.
 */
export function walkRawBmp(bytes: Uint8Array): BmpCounts {
  const counts = emptyCounts();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 6) throw new Error(`truncated common header at offset ${offset}`);
    const version = bytes[offset];
    const length = view.getUint32(offset + 1);
    const type = bytes[offset + 5];
    if (version !== 3) throw new Error(`BMP version ${version} at offset ${offset}, expected 3`);
    if (length < 6) throw new Error(`BMP length ${length} at offset ${offset} is shorter than the header`);
    if (offset + length > bytes.length) throw new Error(`message at offset ${offset} runs past the end`);
    const name = BMP_TYPES[type];
    if (name === undefined) throw new Error(`unknown BMP type ${type} at offset ${offset}`);
    counts[name]++;
    offset += length;
  }
  return counts;
}
