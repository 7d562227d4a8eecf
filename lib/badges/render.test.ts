import { expect, test } from 'vitest';
import { bakePng, extractFromPng } from './bake.js';
import { defaultBadgeSvg } from './default-image.js';
import { renderPng } from './render.js';

test('a default badge renders to a PNG that can be baked and read back', () => {
  const png = renderPng(defaultBadgeSvg({ name: 'SQL Query Fundamentals', issuerName: 'Northwind', seed: 'seed-1' }), 256);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.readUInt32BE(16)).toBe(256);
  const credential = { id: 'urn:uuid:1', type: ['VerifiableCredential', 'OpenBadgeCredential'] };
  expect(extractFromPng(bakePng(png, credential))).toEqual({ format: 'ob3', credential: JSON.stringify(credential) });
});
