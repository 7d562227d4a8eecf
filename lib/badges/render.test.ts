import { createRequire } from 'node:module';
import { expect, test, vi } from 'vitest';
import { AppError } from '../errors.js';
import { bakePng, extractFromPng } from './bake.js';
import { defaultBadgeSvg } from './default-image.js';
import { createPngRenderer, renderPng } from './render.js';

const SVG = defaultBadgeSvg({ name: 'SQL Query Fundamentals', issuerName: 'Northwind', seed: 'seed-1' });

test('a default badge renders to a PNG that can be baked and read back', () => {
  const png = renderPng(SVG, 256);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.readUInt32BE(16)).toBe(256);
  const credential = { id: 'urn:uuid:1', type: ['VerifiableCredential', 'OpenBadgeCredential'] };
  expect(extractFromPng(bakePng(png, credential))).toEqual({ format: 'ob3', credential: JSON.stringify(credential) });
});

test('resvg is loaded on the first render, once, not when the renderer is made', () => {
  const load = vi.fn(() => createRequire(import.meta.url)('@resvg/resvg-js'));
  const render = createPngRenderer(load);
  expect(load).not.toHaveBeenCalled();
  render(SVG, 64);
  render(SVG, 64);
  expect(load).toHaveBeenCalledTimes(1);
});

test('without a resvg binary only PNG rendering fails, with PNG_RENDERER_UNAVAILABLE', () => {
  const load = vi.fn(() => {
    throw new Error('Failed to load native binding\nCannot find module @resvg/resvg-js-linux-arm64-musl');
  });
  const render = createPngRenderer(load);
  for (let attempt = 0; attempt < 2; attempt++) {
    let thrown: unknown;
    try {
      render(SVG);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'PNG_RENDERER_UNAVAILABLE', message: expect.stringMatching(/PNG rendering is not available.*Failed to load native binding/) });
  }
  expect(load).toHaveBeenCalledTimes(1);
});
