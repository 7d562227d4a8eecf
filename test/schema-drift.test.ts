import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderSchemas } from '../scripts/schemas.js';

test('schema/ matches the code (run `npm run compose` after changing a schema)', async () => {
  const files = await renderSchemas();
  for (const [file, content] of Object.entries(files)) {
    const committed = readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8');
    expect(committed, `schema/${file} is out of date`).toBe(content);
  }
});
