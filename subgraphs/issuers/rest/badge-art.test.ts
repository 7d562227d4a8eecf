import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBadgeSvg } from '../../../lib/badges/default-image.js';
import { renderPng } from '../../../lib/badges/render.js';
import { silentLogger } from '../../../lib/log.js';
import { createSafeFetch } from '../../../lib/net/safe-fetch.js';
import { artOf, createBadgeArtSource } from './badge-art.js';

const svg = defaultBadgeSvg({ name: 'Artwork', issuerName: 'Issuer', seed: 'art' });
const png = renderPng(svg);

describe('achievement artwork for baking', () => {
  let server: Server;
  let origin: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.set(request.url!, (hits.get(request.url!) ?? 0) + 1);
      if (request.url === '/badge.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (request.url === '/badge.svg') return response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg);
      if (request.url === '/page.html') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an image</html>');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const source = () => createBadgeArtSource({ fetch: createSafeFetch({ allowHttp: true, allowedAddresses: ['127.0.0.1'] }), log: silentLogger() });

  it('tells PNG and SVG artwork from anything else', () => {
    expect(artOf(png)).toMatchObject({ kind: 'png' });
    expect(artOf(Buffer.from(svg))).toMatchObject({ kind: 'svg', markup: svg });
    expect(artOf(Buffer.from('<html>nope</html>'))).toBeNull();
    expect(artOf(Buffer.alloc(0))).toBeNull();
  });

  it('decodes uploaded (data: URI) artwork without any fetch', async () => {
    const art = await source().artFor(`data:image/png;base64,${png.toString('base64')}`);
    expect(art).toEqual({ kind: 'png', bytes: png });
  });

  it('fetches linked artwork once and reuses it; a broken link or a non-image gives null (the generated badge)', async () => {
    const artwork = source();
    expect(await artwork.artFor(`${origin}/badge.svg`)).toMatchObject({ kind: 'svg' });
    expect(await artwork.artFor(`${origin}/badge.svg`)).toMatchObject({ kind: 'svg' });
    expect(hits.get('/badge.svg')).toBe(1);
    expect(await artwork.artFor(`${origin}/badge.png`)).toMatchObject({ kind: 'png' });
    expect(await artwork.artFor(`${origin}/missing.png`)).toBeNull();
    expect(await artwork.artFor(`${origin}/page.html`)).toBeNull();
    expect(await artwork.artFor('ftp://files.example/badge.png')).toBeNull();
  });

  it('never reaches private addresses under the production rules', async () => {
    const strict = createBadgeArtSource({ fetch: createSafeFetch(), log: silentLogger() });
    const before = hits.get('/badge.png');
    expect(await strict.artFor(`${origin}/badge.png`)).toBeNull();
    expect(await strict.artFor(`https://127.0.0.1:${new URL(origin).port}/badge.png`)).toBeNull();
    expect(hits.get('/badge.png')).toBe(before);
  });
});
