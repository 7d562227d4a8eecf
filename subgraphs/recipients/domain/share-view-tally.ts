import type { Viewer } from '../../../lib/auth/viewer.js';

/** How a view reached the recipient's credentials: the share query, the presentation download, or a consented candidate read. */
export type ShareViewRoute = 'GRAPHQL' | 'PRESENTATION' | 'CANDIDATE';

/** One opening of a share or of a consented candidate view. */
export interface ShareView {
  recipientId: string;
  opened: { shareId: string } | { consentId: string };
  via: ShareViewRoute;
  viewer: { kind: Viewer['kind']; id: string | null };
  /** The viewer is the recipient themself (their own views are not views by others). */
  byHolder: boolean;
  at: Date;
}

/** The openings of one share or consent, by one route and one viewer, within one UTC day. */
export interface CountedViews extends Omit<ShareView, 'at'> {
  count: number;
  firstViewedAt: Date;
  lastViewedAt: Date;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

function keyOf(view: ShareView): string {
  const target = 'shareId' in view.opened ? `share:${view.opened.shareId}` : `consent:${view.opened.consentId}`;
  // Per UTC day, so that views per day can be summed from the counts without splitting one.
  return [target, view.recipientId, view.via, view.viewer.kind, view.viewer.id ?? '', view.byHolder, utcDay(view.at)].join('|');
}

/**
 * Views counted in memory until they are appended: a crawler on one link adds to one counter instead of writing an
 * event per request. Memory grows with the distinct (share, route, viewer, day) seen between two drains, never with
 * the number of views.
 */
export class ShareViewTally {
  private counted = new Map<string, CountedViews>();
  private viewsSinceDrain = 0;

  add(view: ShareView): void {
    const key = keyOf(view);
    const held = this.counted.get(key);
    this.viewsSinceDrain += 1;
    if (!held) {
      const { at, ...rest } = view;
      this.counted.set(key, { ...rest, count: 1, firstViewedAt: at, lastViewedAt: at });
      return;
    }
    held.count += 1;
    if (view.at < held.firstViewedAt) held.firstViewedAt = view.at;
    if (view.at > held.lastViewedAt) held.lastViewedAt = view.at;
  }

  /** Views added since the last drain. */
  get views(): number {
    return this.viewsSinceDrain;
  }

  /** Everything counted so far, and an empty tally. */
  drain(): CountedViews[] {
    const drained = [...this.counted.values()];
    this.counted = new Map();
    this.viewsSinceDrain = 0;
    return drained;
  }
}
