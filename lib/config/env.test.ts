import { describe, expect, test } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_TIMEOUTS, loadConfig } from './env.js';

describe('loadConfig', () => {
  test('an empty environment gives a zero-config development hub on PGlite', () => {
    const config = loadConfig({});
    expect(config.db).toEqual({ kind: 'pglite', dataDir: '.data' });
    expect(config.ports.gateway).toBe(4000);
    expect(config.subgraphUrls.issuers).toBe('http://127.0.0.1:4001/graphql');
    expect(config.log.format).toBe('pretty');
    expect(config.seedDemo).toBe(true);
  });

  test('DATABASE_URL selects PostgreSQL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test' });
    expect(config.db).toEqual({ kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', poolSize: 10, timeouts: DEFAULT_DATABASE_TIMEOUTS });
  });

  test('database timeouts are configurable, and 0 turns one off', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      DATABASE_LOCK_TIMEOUT_MS: '0',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '20000',
      DATABASE_POOL_IDLE_SECONDS: '15',
    });
    expect(config.db).toMatchObject({ timeouts: { statementMs: 5000, lockMs: 0, idleInTransactionMs: 20_000, poolIdleSeconds: 15 } });
    expect(() => loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '-1' })).toThrow('DATABASE_LOCK_TIMEOUT_MS');
  });

  test('CORS_ALLOWED_ORIGINS lists exact origins; none by default', () => {
    expect(loadConfig({}).corsAllowedOrigins).toEqual([]);
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: 'https://portal.example, http://localhost:3000' }).corsAllowedOrigins).toEqual(['https://portal.example', 'http://localhost:3000']);
    for (const wrong of ['*', 'https://portal.example/', 'portal.example', 'https://portal.example/app', 'ftp://portal.example']) {
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: wrong }), wrong).toThrow('CORS_ALLOWED_ORIGINS');
    }
  });

  test('the public base URL follows the gateway port unless PUBLIC_BASE_URL is set (which production requires)', () => {
    expect(loadConfig({}).publicBaseUrl).toBe('http://localhost:4000');
    expect(loadConfig({ GATEWAY_PORT: '4100' }).publicBaseUrl).toBe('http://localhost:4100');
    expect(loadConfig({ GATEWAY_PORT: '4100', PUBLIC_BASE_URL: 'https://badges.example/' }).publicBaseUrl).toBe('https://badges.example');
    expect(() => loadConfig({ GATEWAY_PORT: '0' })).toThrow('PUBLIC_BASE_URL');
  });

  test('CAIRN_PUBLIC_BASE_URL_ALIASES lists earlier public base URLs; none by default', () => {
    expect(loadConfig({}).publicBaseUrlAliases).toEqual([]);
    const config = loadConfig({ CAIRN_PUBLIC_BASE_URL_ALIASES: 'http://localhost:4000/, https://old.example' });
    expect(config.publicBaseUrlAliases).toEqual(['http://localhost:4000', 'https://old.example']);
    expect(() => loadConfig({ CAIRN_PUBLIC_BASE_URL_ALIASES: 'localhost:4000 not-a-url' })).toThrow('CAIRN_PUBLIC_BASE_URL_ALIASES');
  });

  test('every problem is reported at once', () => {
    let caught: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', GATEWAY_PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('GATEWAY_PORT');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('LOG_LEVEL');
    expect(problems).toContain('CAIRN_VIEWER_SECRET');
    expect(problems).toContain('CAIRN_MASTER_KEY');
    expect(problems).toContain('CAIRN_SMTP_URL');
    expect(problems).toContain('PUBLIC_BASE_URL');
  });

  test('production defaults to JSON logs and no demo data', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CAIRN_VIEWER_SECRET: 'x'.repeat(40),
      CAIRN_MASTER_KEY: 'm'.repeat(40),
      CAIRN_SMTP_URL: 'smtps://cairn:secret@mail.example:465',
      PUBLIC_BASE_URL: 'https://badges.example',
    });
    expect(config.log.format).toBe('json');
    expect(config.seedDemo).toBe(false);
    expect(config.graphiql).toBe(false);
    expect(config.mail).toEqual({ smtpUrl: 'smtps://cairn:secret@mail.example:465', from: 'Cairn <no-reply@localhost>' });
  });

  test('outside production mail is optional: codes go to the log', () => {
    expect(loadConfig({}).mail.smtpUrl).toBeNull();
    expect(() => loadConfig({ CAIRN_SMTP_URL: 'http://mail.example' })).toThrow('CAIRN_SMTP_URL');
  });

  test('rate-limit buckets live in memory unless a shared store is chosen; Redis needs its URL', () => {
    expect(loadConfig({}).rateLimitStore).toEqual({ kind: 'memory', deadlineMs: 250 });
    expect(loadConfig({ RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_STORE_DEADLINE_MS: '1000' }).rateLimitStore.deadlineMs).toBe(1000);
    expect(loadConfig({ RATE_LIMIT_STORE: 'postgres' }).rateLimitStore).toEqual({ kind: 'postgres', deadlineMs: 250 });
    expect(loadConfig({ RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379', deadlineMs: 250 });
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow('REDIS_URL: is required when RATE_LIMIT_STORE is redis');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'memcached' })).toThrow('RATE_LIMIT_STORE');
  });
});
