import type { Database, Unlisten } from '../db/client.js';
import { isTransientDatabaseError } from '../db/errors.js';
import { headCursor, onEventsAppended, readEvents, type EventFilter } from './outbox.js';
import { assertResumable } from './retention.js';
import { parseSequencedNotice, ProcessSequencer } from './sequencer.js';
import { EVENTS_APPENDED_CHANNEL, EVENTS_CHANNEL, type EventType, type StoredEvent } from './types.js';

/** @default 5_000 // the longest a reader waits before trying the database again after losing it */
const MAX_READ_RETRY_MS = 5_000;
/** @default 1_000 // events read per statement by the process's live reader */
const LIVE_READ_BATCH = 1_000;

export interface EventFeedOptions {
  /** @default 5_000 // 5 seconds: how often the process looks for news it was not told about (a lost NOTIFY) */
  pollIntervalMs?: number;
  /**
   * @default 2_000 // live events held for one subscriber that is not reading; past it, the subscriber drops them and
   * reads them again from the table when it catches up, so a slow client costs memory only up to this bound
   */
  subscriberBuffer?: number;
}

/** One live subscriber: what it asked for and the events the reader handed it that it has not taken yet. */
interface Subscriber {
  filter: EventFilter;
  queue: StoredEvent[];
  /** The buffer overflowed: the queue was dropped and the subscriber re-reads from the table. */
  overflowed: boolean;
  wake: (() => void) | null;
}

/**
 * The event log as one process sees it: one LISTEN, one sequencer, and one live reader whose every batch is fanned
 * out in memory to the process's subscribers, so a thousand subscriptions cost the database what one does. A
 * notification only says "something new may be numbered"; the reader always goes back to the table, which is what
 * makes delivery ordered, gap-free and resumable. A subscriber resuming from an older cursor reads that history from
 * the table once, then joins the live feed where its read ended. The poll covers notifications lost while the listen
 * connection reconnects.
 */
export class EventFeed {
  readonly pollIntervalMs: number;
  private readonly subscriberBuffer: number;
  private readonly sequencer: ProcessSequencer;
  /** Waiting for news (consumers, workers): woken by a notification naming one of their types, or any when null. */
  private readonly waiters = new Map<() => void, readonly EventType[] | null>();
  private readonly subscribers = new Set<Subscriber>();
  /** Every sequenced event up to here has been read and handed to the subscribers of the moment. */
  private position = 0;
  private positionKnown = false;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private unlisten: Array<Unlisten | (() => void)> = [];
  private poll: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly database: Database,
    options: EventFeedOptions | number = {},
  ) {
    const resolved = typeof options === 'number' ? { pollIntervalMs: options } : options;
    this.pollIntervalMs = resolved.pollIntervalMs ?? 5_000;
    this.subscriberBuffer = resolved.subscriberBuffer ?? 2_000;
    this.sequencer = new ProcessSequencer(database.db);
  }

  async start(): Promise<void> {
    this.position = await headCursor(this.database.db);
    this.positionKnown = true;
    this.unlisten = [
      await this.database.listen(EVENTS_CHANNEL, (payload) => this.onSequenced(parseSequencedNotice(payload))),
      await this.database.listen(EVENTS_APPENDED_CHANNEL, () => void this.sequence().catch(() => {})),
      onEventsAppended(this.database.db, () => void this.sequence().catch(() => {})),
    ];
    this.poll = setInterval(() => this.onPoll(), this.pollIntervalMs);
    this.poll.unref();
    // Events a process left unnumbered when it stopped between its commit and the sequencer's run.
    void this.sequence().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.wakeAll();
    for (const subscriber of this.subscribers) subscriber.wake?.();
    await Promise.all(this.unlisten.map((unlisten) => unlisten()));
    this.unlisten = [];
    await this.reading;
  }

  /** Numbers every event committed before the call (see sequencer.ts); a catch-up calls it before reading. */
  sequence(): Promise<number | null> {
    return this.sequencer.sequence();
  }

  /**
   * Where a subscription "from now" starts: after every event committed before the call. The sequencer numbers them
   * first (they may have committed a moment ago, unnumbered) and the log's head is read, not this reader's position,
   * which may not have caught up with them yet.
   */
  async head(): Promise<number> {
    await this.sequence();
    return Math.max(this.position, await headCursor(this.database.db));
  }

  /** Refuses (`EVENTS_PRUNED`) a resume point the log's retention has pruned, before a subscription is opened. */
  async assertResumable(after: number): Promise<void> {
    // Whatever this process has read is still in the log or was never there: only an older resume point can be pruned.
    if (this.positionKnown && after >= this.position) return;
    await assertResumable(this.database.db, after);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Resolves on the next notification of events of one of `types` (any, when omitted), after the poll interval, or
   * when `signal` aborts.
   */
  waitForNews(signal?: AbortSignal, types?: readonly EventType[] | null): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.set(done, types && types.length > 0 ? types : null);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Every event after `after` matching the filter, then live ones as they commit, in cursor order, each once.
   * Ends when `signal` aborts or the feed closes; refused (`EVENTS_PRUNED`) when retention has pruned past `after`.
   * A lost database connection does not end it: reads are tried again, with backoff, from the last cursor delivered.
   */
  async *stream(options: EventFilter & { after: number; signal?: AbortSignal; batchSize?: number }): AsyncGenerator<StoredEvent> {
    const { signal } = options;
    const filter: EventFilter = { issuerId: options.issuerId, types: options.types };
    const batchSize = options.batchSize ?? 200;
    await this.assertResumable(options.after);
    if (!this.positionKnown) throw new Error('EventFeed.start() must be called before streaming');
    let cursor = options.after;
    while (!this.closed && !signal?.aborted) {
      // Join the live feed first, then read the history up to where the reader stood when we joined: every later
      // event reaches the queue, every earlier one the history read, and the cursor check drops what both saw.
      const subscriber: Subscriber = { filter, queue: [], overflowed: false, wake: null };
      this.subscribers.add(subscriber);
      try {
        const through = this.position;
        while (cursor < through && !signal?.aborted) {
          const batch = await this.readRetrying({ ...filter, after: cursor, through, limit: batchSize }, signal);
          for (const event of batch) {
            if (signal?.aborted) return;
            yield event;
            cursor = event.cursor;
          }
          if (batch.length < batchSize) cursor = Math.max(cursor, through);
        }
        while (!subscriber.overflowed && !this.closed && !signal?.aborted) {
          const event = subscriber.queue.shift();
          if (event) {
            if (event.cursor <= cursor) continue;
            yield event;
            cursor = event.cursor;
            continue;
          }
          await this.nextLive(subscriber, signal);
        }
      } finally {
        this.subscribers.delete(subscriber);
      }
    }
  }

  /**
   * `stream()` for a GraphQL subscription: an iterator whose `return()` (the client unsubscribed or went away)
   * aborts a pending wait at once, instead of leaving it parked until the next event.
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

  /** How many live subscribers this process serves (operators' metrics, tests). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private nextLive(subscriber: Subscriber, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        subscriber.wake = null;
        signal?.removeEventListener('abort', done);
        resolve();
      };
      subscriber.wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** The sequencer numbered events up to `through` (all committed and visible), of `types` (null: unknown). */
  private onSequenced({ through, types }: { through: number | null; types: ReadonlySet<string> | null }): void {
    for (const [wake, wanted] of [...this.waiters]) {
      if (!types || !wanted || wanted.some((type) => types.has(type))) wake();
    }
    // Nobody to hand them to: move on without reading, so a process without subscribers costs the log nothing.
    if (this.subscribers.size === 0 && !this.reading && through !== null) this.position = Math.max(this.position, through);
    else this.readLive();
  }

  private onPoll(): void {
    void this.sequence().catch(() => {});
    if (this.subscribers.size > 0) this.readLive();
    else if (!this.reading) void this.refreshIdlePosition();
  }

  /** Keeps "from now" current for the next subscriber when a notification was lost while nobody listened. */
  private async refreshIdlePosition(): Promise<void> {
    try {
      const head = await headCursor(this.database.db);
      if (this.subscribers.size === 0 && !this.reading) this.position = Math.max(this.position, head);
      else this.readLive();
    } catch {
      // The next poll tries again.
    }
  }

  /** Runs the live reader, or asks the running one to read once more (it may have read before the news). */
  private readLive(): void {
    if (this.closed || !this.positionKnown) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNewEvents().finally(() => {
      this.reading = null;
      if (this.readAgain) {
        this.readAgain = false;
        this.readLive();
      }
    });
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      let batch: StoredEvent[];
      try {
        batch = await this.readRetrying({ after: this.position, limit: LIVE_READ_BATCH }, undefined);
      } catch {
        // Not a lost connection: the poll tries again; subscribers keep waiting rather than end.
        return;
      }
      for (const event of batch) this.fanOut(event);
      if (batch.length > 0) this.position = batch[batch.length - 1]!.cursor;
      if (batch.length < LIVE_READ_BATCH || this.closed) return;
    }
  }

  private fanOut(event: StoredEvent): void {
    for (const subscriber of this.subscribers) {
      if (!matches(subscriber.filter, event)) continue;
      if (subscriber.queue.length >= this.subscriberBuffer) {
        subscriber.overflowed = true;
        subscriber.queue.length = 0;
      } else if (!subscriber.overflowed) {
        subscriber.queue.push(event);
      }
      subscriber.wake?.();
    }
  }

  /** readEvents, tried again while the database is unreachable; other errors are thrown. */
  private async readRetrying(
    options: EventFilter & { after: number; limit: number; through?: number },
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
    for (const wake of [...this.waiters.keys()]) wake();
  }
}

function matches(filter: EventFilter, event: StoredEvent): boolean {
  if (filter.issuerId && event.issuerId !== filter.issuerId) return false;
  if (filter.types && filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  return true;
}
