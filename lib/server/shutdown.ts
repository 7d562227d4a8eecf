import type { Logger } from '../log.js';

/** @default 15_000 // 15 seconds, then exit anyway: Apollo's drain alone can take 10 */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * The one SIGINT/SIGTERM handler of a process. Apollo Server and the Hive gateway runtime each install
 * their own, which keeps a `kill` from ending a process that owns an HTTP server; this one closes
 * everything in reverse start order and then exits.
 */
export function registerShutdown(log: Logger, closers: Array<() => Promise<void>>): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    for (const close of [...closers].reverse()) {
      try {
        await close();
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
      }
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, (received) => void shutdown(received));
  }
}
