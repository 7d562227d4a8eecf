/**
 * Just enough of the PNG container format (ISO/IEC 15948, W3C PNG 3rd ed. §5 and §11.3.3) to bake and
 * extract badges: split a datastream into checked chunks, build chunks, and read/write text chunks.
 * Pixels are never decoded. Every structural fault in untrusted input is AppError('BAD_USER_INPUT').
 */
import { crc32, inflateSync } from 'node:zlib';
import { AppError } from '../errors.js';

/** The 8 bytes every PNG starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG caps a chunk's data length at 2^31 − 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
const CHUNK_TYPE = /^[A-Za-z]{4}$/;
const IHDR_LENGTH = 13;

/** One chunk as found in the input: its type, its data, and its exact bytes (length + type + data + CRC). */
export interface PngChunk {
  type: string;
  data: Buffer;
  raw: Buffer;
}

function malformed(message: string): never {
  throw new AppError('BAD_USER_INPUT', `Not a valid PNG image: ${message}`, { field: 'image' });
}

/**
 * The chunks of `png` up to and including IEND. Checks the signature, every length and CRC, that IHDR
 * comes first, that there is image data and that IEND closes the stream. Bytes after IEND are ignored
 * (decoders do the same), which also means a re-baked image drops anything smuggled there.
 */
export function readPngChunks(png: Buffer): PngChunk[] {
  if (!Buffer.isBuffer(png)) throw new TypeError('Expected the PNG as a Buffer');
  if (png.length < PNG_SIGNATURE.length || !png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    malformed('the PNG signature is missing');
  }
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (true) {
    if (offset + 12 > png.length) malformed('the stream ends before IEND');
    const length = png.readUInt32BE(offset);
    if (length > MAX_CHUNK_LENGTH) malformed(`chunk length ${length} exceeds 2^31-1`);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (!CHUNK_TYPE.test(type)) malformed(`invalid chunk type at byte ${offset + 4}`);
    const end = offset + 12 + length;
    if (end > png.length) malformed(`chunk ${type} runs past the end of the file`);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (chunkCrc(png.subarray(offset + 4, offset + 8), data) !== png.readUInt32BE(offset + 8 + length)) {
      malformed(`chunk ${type} has a wrong CRC`);
    }
    if (chunks.length === 0 && (type !== 'IHDR' || length !== IHDR_LENGTH)) malformed('the first chunk is not IHDR');
    chunks.push({ type, data, raw: png.subarray(offset, end) });
    offset = end;
    if (type === 'IEND') break;
  }
  if (!chunks.some((chunk) => chunk.type === 'IDAT')) malformed('there is no IDAT chunk');
  return chunks;
}

/** A chunk's CRC-32 (ISO-HDLC, as PNG §5.5 specifies it), computed over its type and data. */
function chunkCrc(type: Uint8Array, data: Uint8Array): number {
  return crc32(data, crc32(type));
}

/** Serialises one chunk with its length and CRC. */
export function encodePngChunk(type: string, data: Buffer): Buffer {
  if (!CHUNK_TYPE.test(type)) throw new TypeError(`Invalid PNG chunk type ${type}`);
  if (data.length > MAX_CHUNK_LENGTH) throw new TypeError('PNG chunk data is too long');
  const typeBytes = Buffer.from(type, 'latin1');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  typeBytes.copy(header, 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(chunkCrc(typeBytes, data), 0);
  return Buffer.concat([header, data, crc]);
}

/** Text chunk types whose data starts with a keyword. zTXt is deliberately not read: no badge spec uses it. */
const KEYWORD_CHUNKS = new Set(['iTXt', 'tEXt', 'zTXt']);
const KEYWORD = /^[\x20-\x7e\xa1-\xff]{1,79}$/;

/** The keyword of an iTXt/tEXt/zTXt chunk, or null for other chunks and unreadable keywords. */
export function chunkKeyword(chunk: PngChunk): string | null {
  if (!KEYWORD_CHUNKS.has(chunk.type)) return null;
  const nul = chunk.data.indexOf(0);
  if (nul < 1) return null;
  const keyword = chunk.data.toString('latin1', 0, nul);
  return KEYWORD.test(keyword) ? keyword : null;
}

/** The data of an uncompressed iTXt chunk with empty language tag and translated keyword. */
export function iTXtData(keyword: string, text: string): Buffer {
  if (!KEYWORD.test(keyword)) throw new TypeError(`Invalid PNG text keyword ${keyword}`);
  // keyword NUL, compression flag 0, compression method 0, language tag "" NUL, translated keyword "" NUL, text.
  return Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of an iTXt or tEXt chunk. iTXt may be zlib-compressed (flag 1); inflation stops at
 * `maxInflatedBytes` rather than trusting the stream. Throws BAD_USER_INPUT for a malformed chunk.
 */
export function readTextChunk(chunk: PngChunk, maxInflatedBytes: number): string {
  const keyword = chunkKeyword(chunk);
  if (keyword === null) malformed(`${chunk.type} chunk has no valid keyword`);
  const afterKeyword = keyword.length + 1;
  if (chunk.type === 'tEXt') return chunk.data.toString('latin1', afterKeyword);
  if (chunk.type !== 'iTXt') malformed(`${chunk.type} text chunks are not supported`);

  const compressed = chunk.data[afterKeyword];
  const method = chunk.data[afterKeyword + 1];
  const languageEnd = chunk.data.indexOf(0, afterKeyword + 2);
  const translatedEnd = languageEnd === -1 ? -1 : chunk.data.indexOf(0, languageEnd + 1);
  if ((compressed !== 0 && compressed !== 1) || method !== 0 || translatedEnd === -1) {
    malformed(`iTXt chunk "${keyword}" has a malformed header`);
  }
  let text = chunk.data.subarray(translatedEnd + 1);
  if (compressed === 1) {
    try {
      text = inflateSync(text, { maxOutputLength: maxInflatedBytes });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        malformed(`compressed iTXt chunk "${keyword}" inflates beyond ${maxInflatedBytes} bytes`);
      }
      malformed(`compressed iTXt chunk "${keyword}" is not valid zlib data`);
    }
  }
  try {
    return UTF8.decode(text);
  } catch {
    malformed(`iTXt chunk "${keyword}" is not UTF-8 text`);
  }
}
