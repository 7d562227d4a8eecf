/**
 * CRC-32 (ISO-HDLC / PNG, reflected polynomial 0xEDB88320), table-driven. `zlib.crc32` only exists from
 * Node 20.15 / 22.2; owning these few lines keeps PNG baking independent of the runtime's zlib build.
 * The test cross-checks it against `zlib.crc32` where that exists.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let bit = 0; bit < 8; bit += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of the concatenation of `parts` (PNG computes it over chunk type + data), as an unsigned
 * 32-bit integer.
 */
export function crc32(...parts: Uint8Array[]): number {
  let crc = 0xffffffff;
  for (const part of parts) {
    for (let i = 0; i < part.length; i += 1) crc = TABLE[(crc ^ part[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
