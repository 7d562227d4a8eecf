import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { freePort } from '../helpers/process.js';

// Issue 13, item 2: the command-line clients find the hub (--url, CAIRN_URL, else GATEWAY_PORT) and, when they cannot
// use it, say so in one line with what to try — never a stack trace.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI from source as `npm run …` would, with only the environment given (no CAIRN_URL from the caller). */
function runCli(script: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { CAIRN_URL: _url, CAIRN_API_KEY: _key, GATEWAY_PORT: _port, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...inherited, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** One line on stderr, no stack frames. */
function expectOneLine(run: CliRun): string {
  expect(run.code).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

const CLIS = [
  { script: 'scripts/issue.ts', args: ['--achievement', '00000000-0000-4000-8000-000000000000', '--csv', 'package.json'] },
  { script: 'scripts/ats-example.ts', args: ['--candidate', '00000000-0000-4000-8000-000000000000'] },
];

let hub: TestHub;
let workDir: string;
let closedPort: number;

beforeAll(async () => {
  hub = await startTestHub();
  closedPort = await freePort();
  workDir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
  writeFileSync(join(workDir, 'cohort.csv'), 'name,email\nAda,ada@example.org\n');
});
afterAll(async () => {
  await hub?.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

describe.each(CLIS)('$script', ({ script, args }) => {
  test('--help documents --url, CAIRN_URL and GATEWAY_PORT', async () => {
    const run = await runCli(script, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--url <url>');
    expect(run.stdout).toContain('$CAIRN_URL');
    expect(run.stdout).toContain('$GATEWAY_PORT');
  });

  test('a closed port: one line naming the address and what to try', async () => {
    const line = expectOneLine(await runCli(script, [...args, '--key', 'cairn_whatever'], { GATEWAY_PORT: String(closedPort) }));
    expect(line).toContain(`Cannot reach the hub at http://localhost:${closedPort}/graphql`);
    expect(line).toContain('ECONNREFUSED');
    expect(line).toMatch(/npm start.*--url or CAIRN_URL/);
  });

  test('CAIRN_URL wins over GATEWAY_PORT, and --url over both', async () => {
    const fromEnv = expectOneLine(await runCli(script, [...args, '--key', 'k'], { GATEWAY_PORT: '1', CAIRN_URL: `http://127.0.0.1:${closedPort}/graphql` }));
    expect(fromEnv).toContain(`http://127.0.0.1:${closedPort}/graphql`);
    const fromFlag = expectOneLine(await runCli(script, [...args, '--key', 'k', '--url', `http://127.0.0.1:${closedPort}/other`], { CAIRN_URL: 'http://127.0.0.1:1/graphql' }));
    expect(fromFlag).toContain(`http://127.0.0.1:${closedPort}/other`);
  });

  test('a refused key: one line saying the key was refused and how to pass another', async () => {
    const line = expectOneLine(await runCli(script, [...args, '--key', 'cairn_not-a-real-key'], { CAIRN_URL: hub.gateway.url }));
    expect(line).toContain(`The hub at ${hub.gateway.url} refused the API key`);
    expect(line).toContain('--key or CAIRN_API_KEY');
  });
});

test('the bulk CLI with a refused key reads its CSV and still fails in one line', async () => {
  const line = expectOneLine(
    await runCli('scripts/issue.ts', ['--achievement', '00000000-0000-4000-8000-000000000000', '--csv', join(workDir, 'cohort.csv')], {
      CAIRN_URL: hub.gateway.url,
      CAIRN_API_KEY: 'cairn_refused',
    }),
  );
  expect(line).toContain('refused the API key');
});
