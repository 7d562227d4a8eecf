import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { bakePng, bakeSvg, bakedTextKind, extractFromPng, extractFromSvg } from './bake.js';
import { defaultBadgeSvg } from './default-image.js';
import { PNG_SIGNATURE, chunkKeyword, encodePngChunk, readPngChunks } from './png-chunks.js';

const CREDENTIAL = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:2f0c9a8e-3c1a-4a55-9f0e-6b7a1d2c3e4f',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: 'https://hub.example/issuers/1', type: ['Profile'], name: 'Ünïcode Académie 🎓' },
  validFrom: '2026-01-01T00:00:00Z',
  name: 'Tricky </openbadges:credential> ]]> <![CDATA[ & "quotes"',
  credentialSubject: { id: 'did:example:123', type: ['AchievementSubject'], achievement: { id: 'https://hub.example/a/1' } },
};
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJ2YyI6e319.c2lnbmF0dXJl';

/** A 1×1 RGBA PNG: IHDR + IDAT + IEND, nothing else. */
function tinyPng(extraChunks: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, adaptive filter, no interlace
  const idat = deflateSync(Buffer.from([0, 0x33, 0x66, 0x99, 0xff])); // filter byte + one pixel
  return Buffer.concat([
    PNG_SIGNATURE,
    encodePngChunk('IHDR', ihdr),
    ...extraChunks,
    encodePngChunk('IDAT', idat),
    encodePngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function textChunk(type: 'iTXt' | 'tEXt', keyword: string, text: string, compressed = false): Buffer {
  if (type === 'tEXt') return encodePngChunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(text, 'latin1')]));
  const body = compressed ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
  return encodePngChunk('iTXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from([compressed ? 1 : 0, 0, 0, 0]), body]));
}

/** Independent structural check: signature, every CRC, IHDR first, IEND last with nothing after. */
function expectValidPng(png: Buffer): void {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(crc32(typeAndData)).toBe(png.readUInt32BE(offset + 8 + length));
    types.push(typeAndData.toString('latin1', 0, 4));
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
}

function badInput(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_USER_INPUT');
    return error as AppError;
  }
  throw new Error('expected BAD_USER_INPUT, nothing was thrown');
}

describe('CRC-32 (zlib.crc32)', () => {
  test('matches the standard check value and the CRC of an empty IEND chunk', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
    expect(encodePngChunk('IEND', Buffer.alloc(0)).toString('hex')).toBe('0000000049454e44ae426082');
  });

  test("a chunk's CRC covers its type and its data", () => {
    const data = Buffer.from(JSON.stringify(CREDENTIAL));
    const chunk = encodePngChunk('tEXt', data);
    expect(chunk.readUInt32BE(8 + data.length)).toBe(crc32(Buffer.concat([Buffer.from('tEXt'), data])));
  });
});

describe('PNG baking (OB 3.0 iTXt openbadgecredential)', () => {
  test('bake → extract returns the same credential, JSON or JWS', () => {
    const fromObject = extractFromPng(bakePng(tinyPng(), CREDENTIAL));
    expect(fromObject).toEqual({ format: 'ob3', credential: JSON.stringify(CREDENTIAL) });
    expect(JSON.parse((fromObject as { credential: string }).credential)).toEqual(CREDENTIAL);
    expect(extractFromPng(bakePng(tinyPng(), JWS))).toEqual({ format: 'ob3', credential: JWS });
  });

  test('the chunk is uncompressed iTXt with empty language tag and translated keyword, just before IEND', () => {
    const baked = bakePng(tinyPng(), JWS);
    expectValidPng(baked);
    const chunks = readPngChunks(baked);
    const iTXt = chunks.at(-2)!;
    expect(iTXt.type).toBe('iTXt');
    expect(iTXt.data.equals(Buffer.from(`openbadgecredential\0\0\0\0\0${JWS}`, 'latin1'))).toBe(true);
  });

  test('re-baking replaces the credential and never leaves two chunks, OB 2.0 leftovers included', () => {
    const ob2Baked = tinyPng([textChunk('iTXt', 'openbadges', '{"type":"Assertion"}'), textChunk('tEXt', 'openbadges', 'https://x.example/a/1')]);
    const twice = bakePng(bakePng(ob2Baked, CREDENTIAL), JWS);
    expectValidPng(twice);
    const keywords = readPngChunks(twice).map(chunkKeyword).filter(Boolean);
    expect(keywords).toEqual(['openbadgecredential']);
    expect(extractFromPng(twice)).toEqual({ format: 'ob3', credential: JWS });
  });

  test('other chunks are kept byte for byte and bytes after IEND are dropped', () => {
    const gamma = encodePngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f]));
    const source = Buffer.concat([tinyPng([gamma]), Buffer.from('smuggled')]);
    const baked = bakePng(source, CREDENTIAL);
    expectValidPng(baked);
    expect(baked.includes(gamma)).toBe(true);
    expect(baked.includes(Buffer.from('smuggled'))).toBe(false);
  });

  test('an image without a bake extracts to null', () => {
    expect(extractFromPng(tinyPng())).toBeNull();
  });

  test('OB 2.0: iTXt openbadges (JSON or JWS) and the legacy tEXt URL are extracted as assertions', () => {
    expect(extractFromPng(tinyPng([textChunk('iTXt', 'openbadges', '{"type":"Assertion"}')]))).toEqual({ format: 'ob2', assertion: '{"type":"Assertion"}' });
    expect(extractFromPng(tinyPng([textChunk('iTXt', 'openbadges', JWS)]))).toEqual({ format: 'ob2', assertion: JWS });
    expect(extractFromPng(tinyPng([textChunk('tEXt', 'openbadges', 'https://x.example/a/1')]))).toEqual({ format: 'ob2', assertion: 'https://x.example/a/1' });
  });

  test('OB 3.0 wins over OB 2.0, and the first OB 3.0 chunk counts', () => {
    const png = tinyPng([textChunk('iTXt', 'openbadges', 'https://x.example/a/1'), textChunk('iTXt', 'openbadgecredential', JWS), textChunk('iTXt', 'openbadgecredential', '{}')]);
    expect(extractFromPng(png)).toEqual({ format: 'ob3', credential: JWS });
  });

  test('compressed iTXt is accepted, and its inflation is bounded', () => {
    const json = JSON.stringify(CREDENTIAL);
    expect(extractFromPng(tinyPng([textChunk('iTXt', 'openbadgecredential', json, true)]))).toEqual({ format: 'ob3', credential: json });
    const bomb = tinyPng([textChunk('iTXt', 'openbadgecredential', ' '.repeat(4 * 1024 * 1024), true)]);
    expect(badInput(() => extractFromPng(bomb, { maxInflatedBytes: 1024 * 1024 })).message).toMatch(/inflates beyond/);
  });

  test('malformed PNGs are BAD_USER_INPUT, never a crash', () => {
    const good = tinyPng();
    const wrongCrc = Buffer.from(good);
    wrongCrc[good.length - 1]! ^= 0xff;
    const badCompression = tinyPng([encodePngChunk('iTXt', Buffer.from('openbadgecredential\0\x07\0\0\0x', 'latin1'))]);
    const badUtf8 = tinyPng([encodePngChunk('iTXt', Buffer.concat([Buffer.from('openbadgecredential\0\0\0\0\0', 'latin1'), Buffer.from([0xff, 0xfe])]))]);
    const cases = [
      Buffer.alloc(0),
      Buffer.from('GIF89a not a png at all'),
      good.subarray(0, good.length - 12), // IEND cut off
      good.subarray(0, 20), // truncated inside IHDR
      wrongCrc,
      Buffer.concat([PNG_SIGNATURE, encodePngChunk('IDAT', Buffer.alloc(1)), encodePngChunk('IEND', Buffer.alloc(0))]), // no IHDR
      badCompression,
      badUtf8,
      tinyPng([textChunk('iTXt', 'openbadgecredential', '   ')]),
    ];
    for (const png of cases) badInput(() => extractFromPng(png));
    for (const png of cases.slice(0, 6)) badInput(() => bakePng(png, CREDENTIAL));
  });

  test('a credential that is neither a JSON object nor a compact JWS is refused', () => {
    badInput(() => bakePng(tinyPng(), 'hello'));
    badInput(() => bakePng(tinyPng(), '{not json'));
    expect(() => bakePng(tinyPng(), null as never)).toThrow(TypeError);
  });
});

const PLAIN_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" data-note="a > b">
  <circle cx="256" cy="256" r="200" fill="#336699"/>
</svg>
`;

describe('SVG baking (OB 3.0 openbadges:credential)', () => {
  test('bake → extract returns the same credential, and a JSON with "]]>" survives the CDATA', () => {
    const baked = bakeSvg(PLAIN_SVG, CREDENTIAL);
    const extracted = extractFromSvg(baked);
    expect(extracted?.format).toBe('ob3');
    expect(JSON.parse((extracted as { credential: string }).credential)).toEqual(CREDENTIAL);
    expect(baked).toContain(']]]]><![CDATA[>');
  });

  test('the namespace goes on the root and the element directly after the root start tag', () => {
    const baked = bakeSvg(PLAIN_SVG, CREDENTIAL);
    expect(baked).toMatch(/<svg xmlns:openbadges="https:\/\/purl\.imsglobal\.org\/ob\/v3p0" xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 512 512" data-note="a > b"><openbadges:credential><!\[CDATA\[\{/);
    expect(baked.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->')).toBe(true);
    expect(baked).toContain('<circle cx="256" cy="256" r="200" fill="#336699"/>');
  });

  test('a compact JWS goes in the verify attribute with an empty body', () => {
    const baked = bakeSvg(PLAIN_SVG, JWS);
    expect(baked).toContain(`<openbadges:credential verify="${JWS}"></openbadges:credential>`);
    expect(extractFromSvg(baked)).toEqual({ format: 'ob3', credential: JWS });
  });

  test('re-baking replaces the element and the namespace, never duplicates them', () => {
    const twice = bakeSvg(bakeSvg(bakeSvg(PLAIN_SVG, CREDENTIAL), JWS), { ...CREDENTIAL, name: 'second' });
    expect(twice.match(/<openbadges:credential/g)).toHaveLength(1);
    expect(twice.match(/xmlns:openbadges=/g)).toHaveLength(1);
    expect(JSON.parse((extractFromSvg(twice) as { credential: string }).credential).name).toBe('second');
  });

  test('baking an OB 2.0 badge removes the assertion and rebinds the prefix to the OB 3.0 namespace', () => {
    const ob2 = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='http://openbadges.org'><openbadges:assertion verify="https://x.example/a/1"/><rect/></svg>`;
    const baked = bakeSvg(ob2, JWS);
    expect(baked).not.toContain('openbadges:assertion');
    expect(baked).not.toContain('http://openbadges.org');
    expect(baked).toContain('<rect/>');
  });

  test('the default badge bakes and extracts', () => {
    const svg = defaultBadgeSvg({ name: 'Data & <Analysis>', issuerName: 'Cairn "Hub"', seed: 'achievement-1' });
    expect(extractFromSvg(svg)).toBeNull();
    expect(extractFromSvg(bakeSvg(svg, CREDENTIAL))).toEqual({ format: 'ob3', credential: JSON.stringify(CREDENTIAL) });
  });

  test('a self-closing root is opened to hold the credential', () => {
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"/>', JWS);
    expect(baked).toBe(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" xmlns="http://www.w3.org/2000/svg"><openbadges:credential verify="${JWS}"></openbadges:credential></svg>`);
  });

  test('OB 2.0: the assertion comes from the CDATA body, or from verify when there is no body', () => {
    const hosted = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
      <openbadges:assertion verify="https://x.example/a/1?x=1&amp;y=2"></openbadges:assertion></svg>`;
    expect(extractFromSvg(hosted)).toEqual({ format: 'ob2', assertion: 'https://x.example/a/1?x=1&y=2' });
    const embedded = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
      <openbadges:assertion verify="https://x.example/a/1">
        <![CDATA[ { "type": "Assertion", "note": "</openbadges:assertion>" } ]]>
      </openbadges:assertion></svg>`;
    expect(extractFromSvg(embedded)).toEqual({ format: 'ob2', assertion: '{ "type": "Assertion", "note": "</openbadges:assertion>" }' });
  });

  test('an element that only appears inside a comment or CDATA is not a bake', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><!-- <openbadges:credential>{}</openbadges:credential> --><style><![CDATA[ <openbadges:credential verify="a.b.c"/> ]]></style></svg>`;
    expect(extractFromSvg(svg)).toBeNull();
  });

  test('input that is not an SVG document is BAD_USER_INPUT', () => {
    const cases = [
      '',
      'hello',
      '<html><svg></svg></html>',
      '<svgfoo></svgfoo>',
      '<svg xmlns="http://www.w3.org/2000/svg">', // never closed
      '<svg xmlns="http://www.w3.org/2000/svg"></svg><script>x</script>',
      '<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential><![CDATA[{}</svg>', // unterminated CDATA
      '<!-- unterminated <svg></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential></openbadges:credential></svg>', // empty bake
    ];
    for (const svg of cases) badInput(() => extractFromSvg(svg));
    for (const svg of cases.slice(0, 8)) badInput(() => bakeSvg(svg, CREDENTIAL));
  });
});

describe('bakedTextKind', () => {
  test('tells JSON, JWS and hosted URLs apart', () => {
    expect(bakedTextKind(JSON.stringify(CREDENTIAL))).toBe('json');
    expect(bakedTextKind(JWS)).toBe('jws');
    expect(bakedTextKind('https://x.example/a/1')).toBe('url');
    expect(bakedTextKind('whatever')).toBe('unknown');
  });
});
