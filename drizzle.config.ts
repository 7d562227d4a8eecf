import { defineConfig } from 'drizzle-kit';

/** One migration history for the whole hub; each subgraph's tables live in their own PostgreSQL schema. */
export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: ['./lib/events/tables.ts', './lib/auth/tables.ts', './lib/rate-limit/tables.ts', './lib/hub/tables.ts', './subgraphs/*/db/*tables.ts'],
  out: './drizzle',
});
