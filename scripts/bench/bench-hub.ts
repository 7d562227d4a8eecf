import { startTestHub, type TestHub } from '../../test/helpers/hub.js';

/**
 * The whole hub in the bench's process on a fresh database (PostgreSQL when DATABASE_URL is set, else PGlite), with
 * the gateway's rate limits lifted: a bench sends more from one address and one key than any client may, and measures
 * the hub, not its limiter. The event feed polls at the production interval (tests poll every 250 ms), so idle
 * consumers cost what they cost in production.
 */
export function startBenchHub(env: NodeJS.ProcessEnv = {}): Promise<TestHub> {
  return startTestHub(
    {
      RATE_LIMIT_KEY_PER_SECOND: '1000000',
      RATE_LIMIT_KEY_COST_PER_SECOND: '100000000',
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '1000000',
      RATE_LIMIT_ANONYMOUS_COST_PER_SECOND: '100000000',
      RATE_LIMIT_WS_CONNECTIONS_PER_MINUTE: '1000000',
      ...env,
    },
    { pollIntervalMs: 5_000 },
  );
}
