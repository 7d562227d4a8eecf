import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { silentLogger } from '../log.js';
import { problemHandler } from './problem.js';

test('a REST route without a PNG renderer answers 501 with the PNG_RENDERER_UNAVAILABLE problem', async () => {
  const app = express();
  app.get('/badge.png', () => {
    throw new AppError('PNG_RENDERER_UNAVAILABLE', 'PNG rendering is not available on this platform');
  });
  app.use(problemHandler(silentLogger(), true));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/badge.png`);
    expect(response.status).toBe(501);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 501, code: 'PNG_RENDERER_UNAVAILABLE', detail: 'PNG rendering is not available on this platform' });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
