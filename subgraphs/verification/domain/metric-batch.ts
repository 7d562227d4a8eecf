import { isUuid } from '../../../lib/ids.js';
import { NO_ACHIEVEMENT, THIRD_PARTIES, utcDay, type DailyKind, type MetricFact } from './metric-facts.js';

/** One issued credential's row of `metric_credentials`, as a batch of facts reads and changes it. */
export interface MetricCredential {
  credentialId: string;
  issuerId: string;
  achievementId: string | null;
  recipientId: string | null;
  issuedAt: Date;
  deliveredAt: Date | null;
  claimedAt: Date | null;
  firstSharedAt: Date | null;
  firstThirdPartyVerifiedAt: Date | null;
  thirdPartyVerifications: number;
  revokedAt: Date | null;
}

/** A credential as the metrics know it the moment it is issued: nothing delivered, claimed, shared or verified yet. */
export function issuedCredential(credentialId: string, issuerId: string, achievementId: string | null, issuedAt: Date): MetricCredential {
  return {
    credentialId,
    issuerId,
    achievementId,
    recipientId: null,
    issuedAt,
    deliveredAt: null,
    claimedAt: null,
    firstSharedAt: null,
    firstThirdPartyVerifiedAt: null,
    thirdPartyVerifications: 0,
    revokedAt: null,
  };
}

export interface MetricDayCount {
  issuerId: string;
  achievementId: string;
  day: string;
  kind: DailyKind;
  detail: string;
  count: number;
}

export interface MetricPathwayProgress {
  pathwayId: string;
  issuerId: string;
  recipientId: string;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** What a batch needs to read before it applies its facts: the credentials and shares they touch. */
export interface MetricBatchReads {
  credentialIds: string[];
  recipientIds: string[];
  shareIds: string[];
}

/**
 * A batch of facts applied in memory, in log order, to the rows they touch (read once before); the projection store
 * then writes the outcome with a few multi-row statements. Each rule is the one a fact-by-fact update would apply:
 * per-credential "first time" columns are set only while empty, so a credential delivered, claimed or shared twice
 * counts once where the metrics count credentials.
 */
export class MetricBatch {
  readonly credentials = new Map<string, MetricCredential>();
  /** The credentials as read, before the batch's facts: what the cohort cells are changed from. */
  readonly original = new Map<string, MetricCredential>();
  readonly shares = new Map<string, string[]>();
  /** Credentials new in this batch or changed by it: the rows to write. */
  readonly changedCredentials = new Set<string>();
  readonly newAchievements = new Map<string, string>();
  readonly newShares = new Map<string, { recipientId: string; credentialIds: string[] }>();
  readonly pathwayProgress = new Map<string, MetricPathwayProgress>();
  /** Day counts summed per key, written with one upsert that adds them. */
  readonly days = new Map<string, MetricDayCount>();

  /** Loads rows read from the store (credential ids in lower case, as the store returns uuids). */
  constructor(credentials: readonly MetricCredential[], shares: ReadonlyMap<string, string[]>) {
    for (const credential of credentials) {
      this.credentials.set(credential.credentialId, { ...credential });
      this.original.set(credential.credentialId, credential);
    }
    for (const [shareId, credentialIds] of shares) this.shares.set(shareId, credentialIds);
  }

  apply(fact: MetricFact): void {
    switch (fact.kind) {
      case 'achievementCreated':
        if (!this.newAchievements.has(fact.achievementId)) this.newAchievements.set(fact.achievementId, fact.issuerId);
        return this.count(fact.issuerId, fact.achievementId, fact.at, 'ACHIEVEMENT_CREATED');
      case 'issued': {
        const credentialId = fact.credentialId.toLowerCase();
        if (this.credentials.has(credentialId)) return;
        this.credentials.set(credentialId, issuedCredential(credentialId, fact.issuerId, fact.achievementId, fact.at));
        this.changedCredentials.add(credentialId);
        return this.count(fact.issuerId, fact.achievementId, fact.at, 'ISSUED');
      }
      case 'statusChanged': {
        const credential = this.credential(fact.credentialId);
        if (!credential) return;
        if (fact.status === 'REVOKED') this.change(credential, { revokedAt: fact.at });
        return this.countFor(credential, fact.at, fact.status);
      }
      case 'delivered': {
        const credential = this.credential(fact.credentialId);
        if (!credential || credential.deliveredAt) return;
        this.change(credential, { recipientId: fact.recipientId, deliveredAt: fact.at });
        return this.countFor(credential, fact.at, 'DELIVERED');
      }
      case 'imported': {
        const credential = this.credential(fact.credentialId);
        if (!credential || credential.claimedAt) return;
        this.change(credential, { recipientId: credential.recipientId ?? fact.recipientId, claimedAt: fact.at });
        return this.countFor(credential, fact.at, 'CLAIMED');
      }
      case 'signedIn':
        // A sign-in claims every credential delivered to the recipient by then.
        for (const credential of this.heldBy(fact.recipientId)) {
          if (credential.claimedAt || !credential.deliveredAt || credential.deliveredAt > fact.at) continue;
          this.change(credential, { claimedAt: fact.at });
          this.countFor(credential, fact.at, 'CLAIMED');
        }
        return;
      case 'shared': {
        // The issuer parts of one share (CredentialShared v2) have its id: the first part is kept as the share. Only
        // views from before parts (ShareViewed v1/v2, of whole shares) read it; a part's views name their credentials.
        const shareId = fact.shareId?.toLowerCase();
        if (shareId && !this.shares.has(shareId)) {
          this.shares.set(shareId, fact.credentialIds);
          this.newShares.set(shareId, { recipientId: fact.recipientId, credentialIds: fact.credentialIds });
        }
        for (const credential of this.known(fact.credentialIds)) {
          if (!credential.firstSharedAt) this.change(credential, { firstSharedAt: fact.at });
          this.countFor(credential, fact.at, 'SHARED');
        }
        return;
      }
      case 'shareViewed': {
        const credentialIds = fact.credentialIds ?? this.shares.get(fact.shareId.toLowerCase());
        if (!credentialIds) return;
        for (const credential of this.known(credentialIds)) this.countFor(credential, fact.at, 'SHARE_VIEWED', '', fact.count);
        return;
      }
      case 'verified': {
        const credential = fact.credentialId ? this.credential(fact.credentialId) : undefined;
        const issuerId = credential?.issuerId ?? fact.issuerId;
        if (!issuerId) return;
        if (credential && THIRD_PARTIES.has(fact.relyingParty)) {
          this.change(credential, {
            thirdPartyVerifications: credential.thirdPartyVerifications + 1,
            firstThirdPartyVerifiedAt: credential.firstThirdPartyVerifiedAt ?? fact.at,
          });
        }
        return this.count(issuerId, credential?.achievementId ?? null, fact.at, 'VERIFIED', `${fact.relyingParty}:${fact.verdict}`);
      }
      case 'recipientsMerged':
        for (const credential of this.heldBy(fact.mergedRecipientId)) this.change(credential, { recipientId: fact.survivorId });
        return;
      case 'pathwayProgressed': {
        const key = `${fact.pathwayId}|${fact.recipientId}`;
        const progress = this.pathwayProgress.get(key);
        // Earlier facts win, as the store's upsert keeps the earliest values already there.
        if (progress) {
          progress.startedAt ??= fact.startedAt;
          progress.completedAt ??= fact.completedAt;
        } else {
          this.pathwayProgress.set(key, { pathwayId: fact.pathwayId, issuerId: fact.issuerId, recipientId: fact.recipientId, startedAt: fact.startedAt, completedAt: fact.completedAt });
        }
        return;
      }
    }
  }

  /** The day counts summed over achievements, per issuer (what `metric_issuer_daily` adds). */
  issuerDays(): Map<string, Omit<MetricDayCount, 'achievementId'>> {
    const sums = new Map<string, Omit<MetricDayCount, 'achievementId'>>();
    for (const { achievementId: _, ...row } of this.days.values()) {
      const key = `${row.issuerId}|${row.day}|${row.kind}|${row.detail}`;
      const sum = sums.get(key);
      if (sum) sum.count += row.count;
      else sums.set(key, { ...row });
    }
    return sums;
  }

  changed(): MetricCredential[] {
    return [...this.changedCredentials].map((credentialId) => this.credentials.get(credentialId)!);
  }

  private credential(credentialId: string): MetricCredential | undefined {
    return this.credentials.get(credentialId.toLowerCase());
  }

  /** The credentials of a list this hub issued, each once. */
  private known(credentialIds: readonly string[]): MetricCredential[] {
    const ids = new Set(credentialIds.map((id) => id.toLowerCase()));
    return [...ids].flatMap((id) => this.credentials.get(id) ?? []);
  }

  private heldBy(recipientId: string): MetricCredential[] {
    const id = recipientId.toLowerCase();
    return [...this.credentials.values()].filter((credential) => credential.recipientId?.toLowerCase() === id);
  }

  private change(credential: MetricCredential, values: Partial<MetricCredential>): void {
    Object.assign(credential, values);
    this.changedCredentials.add(credential.credentialId);
  }

  private countFor(credential: MetricCredential, at: Date, kind: DailyKind, detail = '', by = 1): void {
    this.count(credential.issuerId, credential.achievementId, at, kind, detail, by);
  }

  private count(issuerId: string, achievementId: string | null, at: Date, kind: DailyKind, detail = '', by = 1): void {
    if (by === 0) return;
    const row = { issuerId, achievementId: achievementId ?? NO_ACHIEVEMENT, day: utcDay(at), kind, detail };
    const key = `${row.issuerId}|${row.achievementId}|${row.day}|${row.kind}|${row.detail}`;
    const counted = this.days.get(key);
    if (counted) counted.count += by;
    else this.days.set(key, { ...row, count: by });
  }
}

/**
 * The rows a batch of facts reads: the credentials they name (and those of the shares they name, once loaded), the
 * recipients whose credentials a sign-in claims or a merge moves, and the shares they create or view. Ids that are not
 * UUIDs name nothing this hub issued and are left out.
 */
export function metricBatchReads(facts: readonly MetricFact[]): MetricBatchReads {
  const credentialIds = new Set<string>();
  const recipientIds = new Set<string>();
  const shareIds = new Set<string>();
  const add = (ids: Set<string>, id: string | null) => {
    if (id && isUuid(id)) ids.add(id.toLowerCase());
  };
  for (const fact of facts) {
    switch (fact.kind) {
      case 'issued':
      case 'statusChanged':
      case 'delivered':
      case 'imported':
      case 'verified':
        add(credentialIds, fact.credentialId);
        break;
      case 'signedIn':
        add(recipientIds, fact.recipientId);
        break;
      case 'recipientsMerged':
        add(recipientIds, fact.mergedRecipientId);
        break;
      case 'shared':
        fact.credentialIds.forEach((id) => add(credentialIds, id));
        add(shareIds, fact.shareId);
        break;
      case 'shareViewed':
        if (fact.credentialIds) fact.credentialIds.forEach((id) => add(credentialIds, id));
        else add(shareIds, fact.shareId);
        break;
      default:
        break;
    }
  }
  return { credentialIds: [...credentialIds], recipientIds: [...recipientIds], shareIds: [...shareIds] };
}
