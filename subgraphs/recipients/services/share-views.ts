import type { Db } from '../../../lib/db/client.js';
import { shareViewedEvent } from '../../../lib/events/contracts/share-viewed.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { ShareStore } from '../db/share-store.js';
import { issuerPartsOf, type IssuerPart } from '../domain/issuer-parts.js';
import { ShareViewTally, type CountedViews, type ShareView } from '../domain/share-view-tally.js';

export interface ShareViewsDeps {
  db: Db;
  shares: ShareStore;
  log: Logger;
  /** Counted views are appended at least this often… */
  flushEveryMs: number;
  /** …and as soon as this many were counted since the last append. */
  flushAfterViews: number;
}

/** @default 86_400_000 // a day: appended batch ids are kept this long to refuse a retry; retries come within seconds */
const BATCH_IDS_KEPT_MS = 86_400_000;
/** @default 3_600_000 // batch ids are pruned at most hourly per process */
const PRUNE_EVERY_MS = 3_600_000;

interface ViewBatch {
  id: string;
  counted: CountedViews[];
}

/**
 * The events of one count: a share's views as one part per issuer of its credentials (each scoped to that issuer and
 * naming only its credentials, as the share's CredentialShared parts do); a candidate view as one unscoped event.
 */
function viewedEvents(batchId: string, views: CountedViews, partsOfShare: ReadonlyMap<string, IssuerPart[]>): NewEvent[] {
  const counted = {
    ...views.opened,
    via: views.via,
    recipientId: views.recipientId,
    viewer: views.viewer,
    count: views.count,
    firstViewedAt: views.firstViewedAt.toISOString(),
    lastViewedAt: views.lastViewedAt.toISOString(),
    byHolder: views.byHolder,
    batchId,
  };
  if (!('shareId' in views.opened)) return [shareViewedEvent.build(counted)];
  const parts = partsOfShare.get(views.opened.shareId) ?? [];
  // A share whose credentials are all gone (dropped by a merge) is still counted, as a whole, unscoped.
  if (parts.length === 0) return [shareViewedEvent.build(counted)];
  return parts.map(({ issuerId, credentialIds }) => shareViewedEvent.build({ ...counted, credentialIds }, { issuerId }));
}

async function issuerPartsOfShares(shares: ShareStore, counted: readonly CountedViews[]): Promise<Map<string, IssuerPart[]>> {
  const shareIds = [...new Set(counted.flatMap((views) => ('shareId' in views.opened ? [views.opened.shareId] : [])))];
  const credentials = await shares.credentialsOfShares(shareIds);
  return new Map(shareIds.map((shareId) => [shareId, issuerPartsOf(credentials.filter((credential) => credential.shareId === shareId))]));
}

/**
 * Share and candidate views, counted in this process's memory and appended as counted ShareViewed events in one
 * transaction every `flushEveryMs`, after `flushAfterViews` views, and when the service stops: an opening writes
 * nothing, so a crawler on one link costs neither a transaction nor an event (for the sequencer to number and every
 * consumer to read) per request. A batch that fails to append is
 * kept and tried again, first, under the same id; `claimViewBatch` makes that retry append nothing if the first
 * attempt did commit. Views counted when a process dies without stopping are lost: they are analytics, not records.
 */
export function createShareViewsService(deps: ShareViewsDeps) {
  const { db, shares, log } = deps;
  const tally = new ShareViewTally();
  let pending: ViewBatch | null = null;
  let inFlight: Promise<void> | null = null;
  let lastPrune = 0;

  async function append(batch: ViewBatch): Promise<void> {
    const partsOfShare = await issuerPartsOfShares(shares, batch.counted);
    await db.transaction(async (tx) => {
      if (!(await shares.claimViewBatch(tx, batch.id))) return;
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        await shares.pruneViewBatches(tx, new Date(Date.now() - BATCH_IDS_KEPT_MS));
        lastPrune = Date.now();
      }
      await appendEvents(tx, batch.counted.flatMap((views) => viewedEvents(batch.id, views, partsOfShare)));
    });
  }

  async function appendCounted(): Promise<void> {
    if (!pending && tally.views > 0) pending = { id: newId(), counted: tally.drain() };
    const batch = pending;
    if (!batch) return;
    try {
      await append(batch);
      pending = null;
    } catch (error) {
      log.warn({ err: error, batchId: batch.id, counters: batch.counted.length }, 'share views not appended yet; kept for the next flush');
    }
  }

  /** One append at a time; a caller arriving during one waits for it. Never rejects: a failed batch is kept. */
  function flush(): Promise<void> {
    inFlight ??= appendCounted().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const timer = setInterval(() => void flush(), deps.flushEveryMs);
  // The timer alone must not keep a process alive; `close` appends what is left.
  timer.unref();

  return {
    /** Counts one view; appends later, never on the caller's request. */
    record(view: ShareView): void {
      tally.add(view);
      if (tally.views >= deps.flushAfterViews) void flush();
    },

    /** Appends everything counted (a batch kept from a failure first, then the rest). Called on graceful stop. */
    async close(): Promise<void> {
      clearInterval(timer);
      await inFlight;
      // A batch kept from a failure is appended first, then the tally; a database hiccup gets one more chance each.
      for (let attempts = 0; (pending || tally.views > 0) && attempts < 4; attempts++) await flush();
      if (pending || tally.views > 0) {
        log.error({ batchId: pending?.id, unappendedViews: tally.views + (pending?.counted.reduce((sum, views) => sum + views.count, 0) ?? 0) }, 'share views lost at stop: the database did not take them');
      }
    },
  };
}

export type ShareViewsService = ReturnType<typeof createShareViewsService>;
