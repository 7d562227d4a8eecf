import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSchemas } from './schemas.js';

/** `npm run compose`: regenerates `schema/` from the code. A test fails when the committed files drift. */
const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));
mkdirSync(schemaDir, { recursive: true });
for (const [file, content] of Object.entries(await renderSchemas())) {
  writeFileSync(`${schemaDir}${file}`, content);
  console.log(`wrote schema/${file}`);
}
