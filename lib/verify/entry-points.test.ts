import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The verifier is reached from entry points other than the subgraphs' mains (the verification bench, scripts), which
 * load no polyfill of their own: `npm run bench` once stopped at its verification step because `@peculiar/x509`
 * (through tsyringe) found no Reflect metadata. Each module is loaded alone in a fresh process, as such an entry
 * point loads it.
 */
describe('verifier modules load from a bare entry point', () => {
  for (const module of ['lib/verify/verify-credential.ts', 'lib/europass/jades.ts']) {
    it(`${module} loads without the entry point importing reflect-metadata`, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `await import('./${module}'); console.log('loaded');`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const lastErrorLine = run.stderr.split('\n').find((line) => line.startsWith('Error')) ?? '';
      expect({ status: run.status, stdout: run.stdout.trim(), error: lastErrorLine }).toEqual({ status: 0, stdout: 'loaded', error: '' });
    }, 90_000);
  }
});
