import type { Database, Unlisten } from '../db/client.js';
import { isTransientDatabaseError } from '../db/errors.js';
import { headCursor, readEvents, type EventFilter } from './outbox.js';
import { assertResumable } from './retention.js';
import { EVENTS_CHANNEL, type StoredEvent } from './types.js';

/** @default 5_000 // the longest a stream waits before trying the database again after losing it */
const MAX_READ_RETRY_MS = 5_000;

/**
 * One LISTEN per process, fanned out to every local waiter (subscriptions, consumers).
 * A notification only says "something new may be committed"; readers always go back to the table,
 * which is what makes delivery ordered, gap-free and resumable. The poll interval covers notifications
 * lost while the listen connection reconnects.
 */
export class EventFeed {
  private readonly waiters = new Set<() => void>();
  private unlisten: Unlisten | null = null;
  private closed = false;

  constructor(
    private readonly database: Database,
    /** @default 5_000 // 5 seconds */
    readonly pollIntervalMs = 5_000,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(EVENTS_CHANNEL, () => this.wakeAll());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    await this.unlisten?.();
    this.unlisten = null;
  }

  /** The newest committed cursor; subscribing "from now" starts there. */
  head(): Promise<number> {
    return headCursor(this.database.db);
  }

  /** Refuses (`EVENTS_PRUNED`) a resume point the log's retention has pruned, before a subscription is opened. */
  assertResumable(after: number): Promise<void> {
    return assertResumable(this.database.db, after);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves on the next notification, after the poll interval, or when `signal` aborts. */
  waitForNews(signal?: AbortSignal): Promise<void> {
    return this.armWait(signal).news;
  }

  /** `waitForNews` that can be called off, releasing its timer and listener when the caller no longer needs it. */
  private armWait(signal?: AbortSignal): { news: Promise<void>; cancel: () => void } {
    if (this.closed || signal?.aborted) return { news: Promise.resolve(), cancel: () => {} };
    let done!: () => void;
    const news = new Promise<void>((resolve) => {
      done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return { news, cancel: done };
  }

  /**
   * Every event after `after` matching the filter, then live ones as they commit, in cursor order, each once.
   * Ends when `signal` aborts or the feed closes; refused (`EVENTS_PRUNED`) when retention has pruned past `after`.
   * A lost database connection (a failover, a terminated backend) does not end it: the read is tried again, with
   * backoff, from the last cursor delivered.
   */
  async *stream(options: EventFilter & { after: number; signal?: AbortSignal; batchSize?: number }): AsyncGenerator<StoredEvent> {
    const batchSize = options.batchSize ?? 200;
    await assertResumable(this.database.db, options.after);
    let cursor = options.after;
    while (!this.closed && !options.signal?.aborted) {
      // Arm the wait before reading, so a commit between the read and the wait still wakes us.
      const wait = this.armWait(options.signal);
      const batch = await this.readRetrying({ ...options, after: cursor, limit: batchSize }, options.signal);
      // A full batch means more is already there: read on at once, releasing the armed wait (a long replay would
      // otherwise park one timer per batch).
      if (batch.length === batchSize) wait.cancel();
      for (const event of batch) {
        if (options.signal?.aborted) return;
        yield event;
        cursor = event.cursor;
      }
      if (batch.length < batchSize) await wait.news;
    }
  }

  /**
   * `stream()` for a GraphQL subscription: an iterator whose `return()` (the client unsubscribed or went away)
   * aborts a pending wait at once, instead of leaving it parked until the next event or poll.
   */
  subscribe(options: EventFilter & { after: number }): AsyncIterableIterator<StoredEvent> {
    const controller = new AbortController();
    const events = this.stream({ ...options, signal: controller.signal });
    return {
      next: () => events.next(),
      return: async (value?: unknown) => {
        controller.abort();
        return events.return(value as undefined);
      },
      throw: async (error?: unknown) => {
        controller.abort();
        return events.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** readEvents, tried again while the database is unreachable; other errors end the stream. */
  private async readRetrying(
    options: EventFilter & { after: number; limit: number },
    signal: AbortSignal | undefined,
  ): Promise<StoredEvent[]> {
    for (let failures = 0; ; failures++) {
      try {
        return await readEvents(this.database.db, options);
      } catch (error) {
        if (!isTransientDatabaseError(error) || this.closed || signal?.aborted) throw error;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(MAX_READ_RETRY_MS, 50 * 2 ** failures) * (0.5 + Math.random() / 2));
          signal?.addEventListener('abort', done, { once: true });
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
        });
        if (this.closed || signal?.aborted) return [];
      }
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
