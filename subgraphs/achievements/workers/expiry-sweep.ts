import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../lib/log.js';
import type { PathwayProgressService } from '../services/pathway-progress.js';

/** @default 60_000 // how often expired member credentials are looked for: awards follow an expiry within a minute */
const SWEEP_INTERVAL_MS = 60_000;
/** @default 100 */
const SWEEP_BATCH = 100;

/**
 * Expiry produces no event, so a sweep re-evaluates the holders of credentials whose `validUntil` passed. Every
 * replica runs one; rows are claimed with SKIP LOCKED, so they share the work.
 */
export function startExpirySweep(progress: Pick<PathwayProgressService, 'sweepExpired'>, log: Logger, intervalMs = SWEEP_INTERVAL_MS) {
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        while ((await progress.sweepExpired(new Date(), SWEEP_BATCH)) === SWEEP_BATCH && !stopping.signal.aborted);
      } catch (error) {
        log.error({ err: error }, 'expiry sweep failed; retrying at the next interval');
      }
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => {});
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
