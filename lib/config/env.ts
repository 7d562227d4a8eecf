import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RetentionPolicy } from '../events/retention.js';
import type { Allowance } from '../rate-limit/allowance.js';
import type { VerifierConfig } from './verifier.js';
import { isOrigin, listOf, withBurst, withoutTrailingSlash } from './values.js';

/** Every service Cairn runs; the gateway plus the four subgraphs. */
export const SUBGRAPH_NAMES = ['issuers', 'achievements', 'recipients', 'verification'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * The public paths (under PUBLIC_BASE_URL) of the documents the issuers service serves: credentials, issuer profiles
 * (with their DID documents and JWKs below them) and status lists. The gateway forwards them to `subgraphUrls.issuers`,
 * and the hub's verifier reads this hub's own documents from there directly.
 */
export const ISSUERS_PUBLIC_PATHS = { credentials: '/credentials/', issuers: '/issuers/', statusLists: '/status-lists/' } as const;

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  issuers: 4001,
  achievements: 4002,
  recipients: 4003,
  verification: 4004,
};

/** Only ever used when NODE_ENV is not production; production must set its own secrets. */
const DEVELOPMENT_VIEWER_SECRET = 'cairn-development-viewer-secret-do-not-use-in-production';
const DEVELOPMENT_MASTER_KEY = 'cairn-development-master-key-do-not-use-in-production';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
/** A duration where 0 means "no limit", as in PostgreSQL's own timeout settings. */
const durationOrOff = z.coerce.number().int().min(0);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Server-side limits every pooled PostgreSQL session gets; 0 turns one off. */
export interface DatabaseTimeouts {
  /** A statement running longer is cancelled (one slow query must not hold a connection for everyone). */
  statementMs: number;
  /** A statement waiting longer for a lock gives up instead of queueing behind a stuck transaction. */
  lockMs: number;
  /** A session idle inside an open transaction longer is ended, releasing its locks. */
  idleInTransactionMs: number;
  /** A pooled connection unused longer is closed. */
  poolIdleSeconds: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: Readonly<DatabaseTimeouts> = Object.freeze({
  statementMs: 30_000,
  lockMs: 10_000,
  idleInTransactionMs: 60_000,
  poolIdleSeconds: 60,
});

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: durationOrOff.default(DEFAULT_DATABASE_TIMEOUTS.statementMs),
    DATABASE_LOCK_TIMEOUT_MS: durationOrOff.default(DEFAULT_DATABASE_TIMEOUTS.lockMs),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: durationOrOff.default(DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs),
    DATABASE_POOL_IDLE_SECONDS: durationOrOff.default(DEFAULT_DATABASE_TIMEOUTS.poolIdleSeconds),
    CAIRN_DATA_DIR: z.string().min(1).default('.data'),
    PUBLIC_BASE_URL: z.url().optional(),
    CAIRN_PUBLIC_BASE_URL_ALIASES: z.string().transform(listOf).pipe(z.array(z.url('each entry must be a URL (an earlier PUBLIC_BASE_URL)'))).optional(),
    CAIRN_VIEWER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    CAIRN_MASTER_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    CAIRN_SEED_DEMO: bool.optional(),
    CAIRN_BULK_WORKER: bool.default(true),
    CAIRN_PATHWAY_JOBS_WORKER: bool.default(true),
    CAIRN_WEBHOOK_DISPATCHER: bool.default(true),
    CAIRN_BULK_CLAIM_SECONDS: positiveInt.default(60),
    CAIRN_BULK_CHUNK_SIZE: positiveInt.max(1_000).default(200),
    CAIRN_SIGNING_WORKERS: positiveInt.optional(),
    GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
    ISSUERS_PORT: port.default(DEFAULT_PORTS.issuers),
    ACHIEVEMENTS_PORT: port.default(DEFAULT_PORTS.achievements),
    RECIPIENTS_PORT: port.default(DEFAULT_PORTS.recipients),
    VERIFICATION_PORT: port.default(DEFAULT_PORTS.verification),
    ISSUERS_URL: z.url().optional(),
    ACHIEVEMENTS_URL: z.url().optional(),
    RECIPIENTS_URL: z.url().optional(),
    VERIFICATION_URL: z.url().optional(),
    MAX_REQUEST_BYTES: positiveInt.default(1_048_576),
    MAX_QUERY_DEPTH: positiveInt.default(12),
    MAX_QUERY_COST: positiveInt.default(20_000),
    MAX_QUERY_COST_ANONYMOUS: positiveInt.default(5_000),
    MAX_QUERY_TOKENS: positiveInt.default(2_000),
    MAX_QUERY_ALIASES: positiveInt.default(50),
    MAX_QUERY_DIRECTIVES: positiveInt.default(50),
    MAX_QUERY_FIELDS: positiveInt.default(500),
    QUERY_TIMEOUT_MS: positiveInt.default(15_000),
    RATE_LIMIT_KEY_PER_SECOND: positiveInt.default(50),
    RATE_LIMIT_ANONYMOUS_PER_SECOND: positiveInt.default(20),
    RATE_LIMIT_KEY_COST_PER_SECOND: positiveInt.default(10_000),
    RATE_LIMIT_ANONYMOUS_COST_PER_SECOND: positiveInt.default(1_000),
    RATE_LIMIT_BURST_SECONDS: positiveInt.default(10),
    RATE_LIMIT_WS_CONNECTIONS_PER_MINUTE: positiveInt.default(60),
    RATE_LIMIT_OAUTH_REGISTRATIONS_PER_HOUR: positiveInt.default(20),
    RATE_LIMIT_OAUTH_TOKENS_PER_MINUTE: positiveInt.default(120),
    RATE_LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: positiveInt.default(100),
    RATE_LIMIT_CODE_ATTEMPTS_PER_HOUR: positiveInt.default(10),
    RATE_LIMIT_CODE_ATTEMPTS_PER_IP_PER_HOUR: positiveInt.default(100),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    RATE_LIMIT_STORE: z.enum(['memory', 'postgres', 'redis']).default('memory'),
    RATE_LIMIT_STORE_DEADLINE_MS: positiveInt.default(250),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    RATE_LIMIT_SHARE_VIEWS_PER_IP_PER_SECOND: positiveInt.default(2),
    RATE_LIMIT_SHARE_VIEWS_PER_SHARE_PER_SECOND: positiveInt.default(20),
    GRAPHIQL: bool.optional(),
    CAIRN_FETCH_ALLOW_HTTP: bool.default(false),
    CAIRN_FETCH_ALLOW_PRIVATE_NETWORK: bool.default(false),
    CAIRN_TRUSTED_ISSUERS: z.string().optional(),
    CAIRN_TRUSTED_ISSUER_REGISTRIES: z.string().optional(),
    CAIRN_REQUIRE_KNOWN_ISSUER: bool.default(false),
    EUROPASS_TRUST_ANCHORS: z.string().min(1).optional(),
    CAIRN_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    CAIRN_MAIL_FROM: z.string().min(3).default('Cairn <no-reply@localhost>'),
    EVENTS_RETENTION_DAYS: positiveInt.optional(),
    EVENTS_RESUME_WINDOW_DAYS: positiveInt.default(30),
    CORS_ALLOWED_ORIGINS: z
      .string()
      .transform(listOf)
      .pipe(z.array(z.string().refine(isOrigin, 'each entry must be an origin: scheme://host[:port], nothing after it')))
      .optional(),
    SHARE_VIEWS_FLUSH_SECONDS: positiveInt.default(10),
    SHARE_VIEWS_FLUSH_AFTER: positiveInt.default(1_000),
  });

/** Rules across variables, checked on the raw input so they are reported together with the per-variable ones. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems = [];
  if (env.RATE_LIMIT_STORE === 'redis' && !env.REDIS_URL) problems.push('REDIS_URL: is required when RATE_LIMIT_STORE is redis');
  if (env.GATEWAY_PORT === '0' && !env.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: is required when GATEWAY_PORT is 0 (it is derived from the port)');
  if (env.NODE_ENV !== 'production') return problems;
  if (!env.CAIRN_VIEWER_SECRET) {
    problems.push('CAIRN_VIEWER_SECRET: is required in production (the HMAC secret shared by the gateway and the subgraphs)');
  }
  if (!env.CAIRN_MASTER_KEY) {
    problems.push('CAIRN_MASTER_KEY: is required in production (it encrypts issuers’ private signing keys at rest)');
  }
  if (!env.PUBLIC_BASE_URL) {
    problems.push('PUBLIC_BASE_URL: is required in production (the address every credential, did:web DID and status list names)');
  }
  if (!env.CAIRN_SMTP_URL) {
    problems.push('CAIRN_SMTP_URL: is required in production (recipients sign in and prove e-mail addresses with codes sent by mail)');
  }
  return problems;
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; timeouts?: DatabaseTimeouts }
  | { kind: 'pglite'; dataDir: string | null };

/** Where rate-limit buckets live (lib/rate-limit/store.ts): this process, the hub's PostgreSQL, or Redis. */
export type RateLimitStoreConfig = ({ kind: 'memory' } | { kind: 'postgres' } | { kind: 'redis'; url: string }) & {
  /** How long a shared store may take to answer before this process decides alone (fails open). */
  deadlineMs?: number;
};

export interface HubConfig {
  env: 'development' | 'production' | 'test';
  log: { level: string; format: 'json' | 'pretty' };
  host: string;
  /**
   * Where the hub is reachable from outside: every credential id, did:web DID, status list and share URL is built on
   * it. Unset (development and tests only), it is `http://localhost:<GATEWAY_PORT>`, the address `npm start` answers on.
   */
  publicBaseUrl: string;
  /**
   * Earlier public base URLs of this hub (CAIRN_PUBLIC_BASE_URL_ALIASES): credentials issued under them still name
   * their DIDs and status lists, so the hub keeps resolving and verifying those as its own.
   */
  publicBaseUrlAliases: string[];
  db: DatabaseConfig;
  viewerSecret: string;
  /** Encrypts issuers' private keys at rest; never logged, never sent anywhere. */
  masterKey: string;
  seedDemo: boolean;
  /** Whether this process issues bulk-job rows in the background (off for API-only replicas). */
  bulkWorker: boolean;
  /** Whether this process runs the pathway jobs (back-fills of published pathways, owed PathwayStarted) in the background. */
  pathwayJobsWorker: boolean;
  webhookDispatcher: boolean; // every verification process may deliver: each webhook is leased by one at a time
  /** How long a worker's claim on bulk rows lasts; a crashed worker's rows are issued by others after it. */
  bulkClaimSeconds: number;
  /** Bulk rows claimed, signed and recorded together, in one transaction. */
  bulkChunkSize: number;
  /** worker_threads that sign bulk credentials. @default os.availableParallelism() */
  signingWorkers: number;
  ports: Record<SubgraphName | 'gateway', number>;
  subgraphUrls: Record<SubgraphName, string>;
  limits: LimitsConfig;
  /** Shared by the gateway's limits and the recipients subgraph's (OAuth, sign-in codes). */
  rateLimitStore: RateLimitStoreConfig;
  /**
   * How many proxies the operator runs in front of the gateway, each appending to X-Forwarded-For; 0 (the gateway
   * is the edge) ignores that header, which anyone can write.
   */
  trustedProxyHops: number;
  graphiql: boolean;
  outboundFetch: OutboundFetchConfig;
  verifier: VerifierConfig;
  mail: MailConfig;
  /** Event-log retention; null keeps every event for ever (the default). */
  eventRetention: RetentionPolicy | null;
  shareViews: ShareViewsConfig;
  /**
   * Web origins (scheme://host[:port]) whose pages may call the endpoints that take a key or token — GraphQL, the OB
   * API resources and its OAuth token and registration endpoints, VC-API issue and status — from a browser. Public
   * documents and the VC-API verifiers answer every origin (gateway/cors.ts).
   */
  corsAllowedOrigins: string[];
}

/** Share and candidate views are counted in memory and appended as counted ShareViewed events, not one per view. */
export interface ShareViewsConfig {
  /** Counted views are appended at least this often (and when the service stops). */
  flushEverySeconds: number;
  /** …and as soon as this many were counted since the last append. */
  flushAfterViews: number;
}

/** What one request may ask of the hub; every limit answers with a coded error (README, "Errors"). */
export interface LimitsConfig {
  maxRequestBytes: number;
  maxQueryDepth: number;
  /** Cost budget of an authenticated operation; anonymous ones get `maxAnonymousQueryCost`. */
  maxQueryCost: number;
  maxAnonymousQueryCost: number;
  maxQueryTokens: number;
  maxQueryAliases: number;
  maxQueryDirectives: number;
  maxQueryFields: number;
  /** How long one operation may run at the gateway before it is answered QUERY_TIMEOUT. */
  queryTimeoutMs: number;
  /** Token buckets: sustained requests per second per API key or session, and per client IP for anonymous callers. */
  rateLimit: {
    keyPerSecond: number;
    anonymousPerSecond: number;
    keyCostPerSecond: number;
    anonymousCostPerSecond: number;
    burstSeconds: number;
    /** graphql-ws connections a client IP may open per minute (a minute's worth at once). */
    wsConnectionsPerMinute: number;
  };
  /** The OB API's OAuth server (recipients): dynamic registrations per client IP; token requests per client_id and per IP. */
  oauth: { registrationsPerIpPerHour: number; tokensPerMinute: number };
  /**
   * One-time codes (recipients): codes asked per client IP (each address also gets at most 5 an hour, counted in the
   * codes table); codes tried per address (or, for address proofs, per signed-in recipient) and per client IP.
   */
  codes: { requestsPerIpPerHour: number; attemptsPerHour: number; attemptsPerIpPerHour: number };
  /**
   * Anonymous openings of shares (recipients), per client IP and per share whatever the IP: each a per-second rate
   * with `rateLimit.burstSeconds` of it at once.
   */
  shareViews: { anonymousPerIp: Allowance; anonymousPerShare: Allowance };
}

/** Outgoing mail (one-time codes). Without an SMTP URL (development, tests) codes are written to the log instead. */
export interface MailConfig {
  /** smtp://user:pass@host:port or smtps://…; null outside production means "log, do not send". */
  smtpUrl: string | null;
  from: string;
}

/** What outbound fetches (verification's DID documents, status lists and credentials; achievement artwork) may reach. */
export interface OutboundFetchConfig {
  /** Fetch plain http:// URLs (never in production: anyone on the path could forge a did:web or a status list). */
  allowHttp: boolean;
  /** Fetch private, loopback and link-local addresses (tests, or an intranet deployment that knows its network). */
  allowPrivateNetwork: boolean;
}

export type { VerifierConfig };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, reporting every problem together (not the first one),
 * so an operator fixes a broken deployment in one round trip.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): HubConfig {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(blanksRemoved);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...crossFieldProblems(blanksRemoved),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const ports = {
    gateway: env.GATEWAY_PORT,
    issuers: env.ISSUERS_PORT,
    achievements: env.ACHIEVEMENTS_PORT,
    recipients: env.RECIPIENTS_PORT,
    verification: env.VERIFICATION_PORT,
  };
  const localUrl = (name: SubgraphName) => `http://127.0.0.1:${ports[name]}/graphql`;
  return Object.freeze({
    env: env.NODE_ENV,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (production ? 'json' : 'pretty') },
    host: env.HOST,
    publicBaseUrl: withoutTrailingSlash(env.PUBLIC_BASE_URL ?? `http://localhost:${env.GATEWAY_PORT}`),
    publicBaseUrlAliases: (env.CAIRN_PUBLIC_BASE_URL_ALIASES ?? []).map(withoutTrailingSlash),
    db: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          timeouts: {
            statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
            lockMs: env.DATABASE_LOCK_TIMEOUT_MS,
            idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
            poolIdleSeconds: env.DATABASE_POOL_IDLE_SECONDS,
          },
        }
      : { kind: 'pglite', dataDir: env.CAIRN_DATA_DIR },
    viewerSecret: env.CAIRN_VIEWER_SECRET ?? DEVELOPMENT_VIEWER_SECRET,
    masterKey: env.CAIRN_MASTER_KEY ?? DEVELOPMENT_MASTER_KEY,
    seedDemo: env.CAIRN_SEED_DEMO ?? !production,
    bulkWorker: env.CAIRN_BULK_WORKER,
    pathwayJobsWorker: env.CAIRN_PATHWAY_JOBS_WORKER,
    webhookDispatcher: env.CAIRN_WEBHOOK_DISPATCHER,
    bulkClaimSeconds: env.CAIRN_BULK_CLAIM_SECONDS,
    bulkChunkSize: env.CAIRN_BULK_CHUNK_SIZE,
    signingWorkers: env.CAIRN_SIGNING_WORKERS ?? availableParallelism(),
    ports,
    subgraphUrls: {
      issuers: env.ISSUERS_URL ?? localUrl('issuers'),
      achievements: env.ACHIEVEMENTS_URL ?? localUrl('achievements'),
      recipients: env.RECIPIENTS_URL ?? localUrl('recipients'),
      verification: env.VERIFICATION_URL ?? localUrl('verification'),
    },
    limits: {
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxQueryCost: env.MAX_QUERY_COST,
      maxAnonymousQueryCost: env.MAX_QUERY_COST_ANONYMOUS,
      maxQueryTokens: env.MAX_QUERY_TOKENS,
      maxQueryAliases: env.MAX_QUERY_ALIASES,
      maxQueryDirectives: env.MAX_QUERY_DIRECTIVES,
      maxQueryFields: env.MAX_QUERY_FIELDS,
      queryTimeoutMs: env.QUERY_TIMEOUT_MS,
      rateLimit: {
        keyPerSecond: env.RATE_LIMIT_KEY_PER_SECOND,
        anonymousPerSecond: env.RATE_LIMIT_ANONYMOUS_PER_SECOND,
        keyCostPerSecond: env.RATE_LIMIT_KEY_COST_PER_SECOND,
        anonymousCostPerSecond: env.RATE_LIMIT_ANONYMOUS_COST_PER_SECOND,
        burstSeconds: env.RATE_LIMIT_BURST_SECONDS,
        wsConnectionsPerMinute: env.RATE_LIMIT_WS_CONNECTIONS_PER_MINUTE,
      },
      oauth: { registrationsPerIpPerHour: env.RATE_LIMIT_OAUTH_REGISTRATIONS_PER_HOUR, tokensPerMinute: env.RATE_LIMIT_OAUTH_TOKENS_PER_MINUTE },
      codes: {
        requestsPerIpPerHour: env.RATE_LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR,
        attemptsPerHour: env.RATE_LIMIT_CODE_ATTEMPTS_PER_HOUR,
        attemptsPerIpPerHour: env.RATE_LIMIT_CODE_ATTEMPTS_PER_IP_PER_HOUR,
      },
      shareViews: {
        anonymousPerIp: withBurst(env.RATE_LIMIT_SHARE_VIEWS_PER_IP_PER_SECOND, env.RATE_LIMIT_BURST_SECONDS),
        anonymousPerShare: withBurst(env.RATE_LIMIT_SHARE_VIEWS_PER_SHARE_PER_SECOND, env.RATE_LIMIT_BURST_SECONDS),
      },
    },
    trustedProxyHops: env.TRUST_PROXY_HOPS,
    rateLimitStore: {
      ...(env.RATE_LIMIT_STORE === 'redis' ? { kind: 'redis' as const, url: env.REDIS_URL! } : { kind: env.RATE_LIMIT_STORE }),
      deadlineMs: env.RATE_LIMIT_STORE_DEADLINE_MS,
    },
    graphiql: env.GRAPHIQL ?? !production,
    outboundFetch: { allowHttp: env.CAIRN_FETCH_ALLOW_HTTP, allowPrivateNetwork: env.CAIRN_FETCH_ALLOW_PRIVATE_NETWORK },
    verifier: {
      trustedIssuers: listOf(env.CAIRN_TRUSTED_ISSUERS),
      trustedIssuerRegistries: listOf(env.CAIRN_TRUSTED_ISSUER_REGISTRIES),
      requireKnownIssuer: env.CAIRN_REQUIRE_KNOWN_ISSUER,
      europassTrustAnchorsFile: env.EUROPASS_TRUST_ANCHORS ?? null,
    },
    mail: { smtpUrl: env.CAIRN_SMTP_URL ?? null, from: env.CAIRN_MAIL_FROM },
    eventRetention: env.EVENTS_RETENTION_DAYS ? { retainDays: env.EVENTS_RETENTION_DAYS, resumeWindowDays: env.EVENTS_RESUME_WINDOW_DAYS } : null,
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS ?? [],
    shareViews: {
      flushEverySeconds: env.SHARE_VIEWS_FLUSH_SECONDS,
      flushAfterViews: env.SHARE_VIEWS_FLUSH_AFTER,
    },
  } satisfies HubConfig);
}
