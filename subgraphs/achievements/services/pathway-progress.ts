import type { Db } from '../../../lib/db/client.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { pathwayAwardStandingChangedEvent } from '../../../lib/events/contracts/pathway-award-standing-changed.js';
import { pathwayCompletedEvent } from '../../../lib/events/contracts/pathway-completed.js';
import { pathwayProgressedEvent } from '../../../lib/events/contracts/pathway-progressed.js';
import { pathwayStartedEvent } from '../../../lib/events/contracts/pathway-started.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { IdentityType } from '../../../lib/identity.js';
import type { Logger } from '../../../lib/log.js';
import type { ProgressStore, VersionRef } from '../db/progress-store.js';
import type { HeldCredentialRow, NewHeldCredentialRow, PathwayAwardRow, PathwayView } from '../db/pathway-tables.js';
import { factsFromDocument } from '../domain/held-credential.js';
import { planAward, standingAfter } from '../domain/pathway-awards.js';
import { credentialKeys, leafKeysOf } from '../domain/pathway-definition.js';
import { acceptsCredential, evaluatePathway, type HeldCredential, type HoldingStatus, type PathwayProgress } from '../domain/pathway-progress.js';
import { isGroup, ROOT_NODE_ID, findNode, type RequirementNode } from '../domain/pathway-requirement.js';

export interface IssuedCredential {
  credentialId: string;
  issuerId: string;
  achievementId: string | null;
  issuedAt: Date;
  validUntil: Date | null;
  recipient: { type: string; value: string };
  document: Record<string, unknown>;
}

export interface ImportedCredential {
  credentialId: string;
  recipientId: string;
  /** This hub's issuer, when the imported credential is one of ours (the event's scope says so). */
  issuerId: string | null;
  verified: boolean;
  /** The verifier knew and trusted the issuer (TRUSTED pathways count it). */
  trusted: boolean;
  document: Record<string, unknown>;
}

/** The statistic "where did they stop": the element of a top-level SEQUENCE they are on, else how many top groups are done. */
function stepOf(requirement: RequirementNode, progress: PathwayProgress): number | null {
  if (!isGroup(requirement)) return null;
  if (requirement.kind === 'SEQUENCE') return progress.root.currentStep;
  return progress.root.children.filter((child) => child.satisfied).length;
}

/** A held credential as the engine sees it for one pathway (acceptance depends on the pathway). */
export function toHeld(row: HeldCredentialRow, pathway: PathwayView): HeldCredential {
  return {
    credentialId: row.credentialId,
    achievementId: row.achievementId,
    achievementUrl: row.achievementUrl,
    skills: row.skills,
    results: row.results,
    earnedAt: row.earnedAt,
    validUntil: row.validUntil,
    status: row.status,
    accepted: acceptsCredential(pathway.acceptExternal, { local: row.local, issuerId: row.issuerId, issuerRef: row.issuerRef, verified: row.verified, trusted: row.trusted }),
  };
}

/** `precedes` between consecutive elements of every SEQUENCE, by the Achievement.id URLs of the credentials that satisfied them. */
function precedesOf(requirement: RequirementNode, progress: PathwayProgress, urlOf: (credentialId: string) => string | null) {
  const pairs: { sourceId: string; targetId: string }[] = [];
  const visit = (node: RequirementNode, nodeProgress: PathwayProgress['root']) => {
    if (!isGroup(node)) return;
    node.children.forEach((child, index) => visit(child, nodeProgress.children[index]!));
    if (node.kind !== 'SEQUENCE') return;
    for (let index = 1; index < node.children.length; index++) {
      const sources = nodeProgress.children[index - 1]!.credentialIds.map(urlOf);
      const targets = nodeProgress.children[index]!.credentialIds.map(urlOf);
      for (const sourceId of sources) for (const targetId of targets) if (sourceId && targetId) pairs.push({ sourceId, targetId });
    }
  };
  visit(requirement, progress.root);
  return pairs;
}

/** The leaf each satisfying credential satisfied (first found), for the CLR's members. */
function leafOfCredential(progress: PathwayProgress['root'], credentialId: string): string | null {
  if (progress.children.length === 0) return progress.credentialIds.includes(credentialId) ? progress.nodeId : null;
  for (const child of progress.children) {
    const found = leafOfCredential(child, credentialId);
    if (found) return found;
  }
  return null;
}

/**
 * The progress projection: keeps the achievements subgraph's copy of what recipients hold, recomputes a recipient's
 * progress on the pathways an event concerns (found through the leaf-key index, never a scan of all wallets), and
 * makes awards exactly once (the award's primary key is pathway version + recipient + node).
 */
export function createPathwayProgressService({ db, progress: store, log }: { db: Db; progress: ProgressStore; log: Logger }) {
  /** PathwayCompleted for one award, with what the issuers subgraph needs for the award and the CLR. */
  function completedEvent(pathway: PathwayView, recipientId: string, result: PathwayProgress, held: readonly HeldCredentialRow[], award: { nodeId: string; achievementId: string; credentialIds: string[]; at: Date }): NewEvent {
    const byId = new Map(held.map((row) => [row.credentialId, row]));
    const members = award.credentialIds.flatMap((credentialId) => {
      const row = byId.get(credentialId);
      return row?.document ? [{ credentialId, nodeId: leafOfCredential(result.root, credentialId) ?? award.nodeId, achievementUrl: row.achievementUrl, document: row.document }] : [];
    });
    // The identity named on their latest credential from this hub: the award goes where the issuer already reaches them.
    const local = held.filter((row) => row.local && row.recipientIdentity).sort((a, b) => b.earnedAt.getTime() - a.earnedAt.getTime())[0];
    const identity = local?.recipientIdentity;
    const node = findNode(pathway.requirement, award.nodeId) ?? pathway.requirement;
    return pathwayCompletedEvent.build({
      pathwayId: pathway.id,
      version: pathway.version,
      issuerId: pathway.issuerId,
      recipientId,
      credentialIds: award.credentialIds,
      completedAt: award.at.toISOString(),
      achievementId: award.achievementId,
      milestoneNodeId: award.nodeId === ROOT_NODE_ID ? null : award.nodeId,
      pathwayName: pathway.name,
      recipient: identity && (Object.values(IdentityType) as string[]).includes(identity.type) ? { type: identity.type as IdentityType, value: identity.value } : null,
      members,
      precedes: award.nodeId === ROOT_NODE_ID ? precedesOf(node, result, (id) => byId.get(id)?.achievementUrl ?? null) : [],
    });
  }

  /** Evaluates one pathway version for a recipient, records the progress, and plans each award (pathway and milestones). */
  async function evaluate(tx: Db, recipientId: string, pathway: PathwayView, held: readonly HeldCredentialRow[], at: Date): Promise<NewEvent[]> {
    const result = evaluatePathway({ requirement: pathway.requirement, windowMonths: pathway.windowMonths }, held.map((row) => toHeld(row, pathway)), at);
    const ref: VersionRef = { pathwayId: pathway.id, version: pathway.version };
    const existing = await store.awardsOf(tx, recipientId, ref);
    // "Started" = holding a member credential, counted or not (a revoked one still shows why a step went back, and
    // one earned out of a SEQUENCE's order is held all the same): since the earliest of them was earned.
    const leafKeys = new Set(leafKeysOf(pathway.requirement));
    const members = held.filter((row) => credentialKeys(row).some((key) => leafKeys.has(key)));
    if (result.root.fraction === 0 && existing.length === 0 && members.length === 0) return [];
    const startedAt = members.length === 0 ? at : new Date(Math.min(...members.map((row) => row.earnedAt.getTime())));
    const before = await store.upsertProgress(tx, {
      recipientId,
      ...ref,
      percent: result.percent,
      satisfied: result.satisfied,
      completedAt: result.completedAt,
      startedAt,
      step: stepOf(pathway.requirement, result),
      detail: result,
    });
    const events: NewEvent[] = [];
    // Everyone who starts is announced once, following or not: the completion metrics count from it.
    if (await store.claimStartAnnouncement(tx, { ...ref, recipientId })) {
      events.push(pathwayStartedEvent.build({ ...ref, issuerId: pathway.issuerId, recipientId, startedAt: startedAt.toISOString() }));
    }
    // Followers are told when a credential moves them forward (a replay computes the same percent: no second event).
    if (before.following && result.percent > (before.previousPercent ?? 0)) {
      events.push(
        pathwayProgressedEvent.build({ ...ref, issuerId: pathway.issuerId, recipientId, pathwayName: pathway.name, percent: result.percent, previousPercent: before.previousPercent ?? 0, next: result.next }),
      );
    }
    const candidates: { nodeId: string; achievementId: string; satisfied: boolean; credentialIds: string[]; at: Date | null }[] = [
      { nodeId: ROOT_NODE_ID, achievementId: pathway.awardAchievementId, satisfied: result.satisfied, credentialIds: result.credentialIds, at: result.completedAt },
      ...milestoneCandidates(pathway.requirement, result),
    ];
    for (const candidate of candidates) {
      const award: PathwayAwardRow | undefined = existing.find((row) => row.nodeId === candidate.nodeId);
      const action = planAward(award ?? null, candidate.satisfied, pathway.revocationPolicy);
      if (action === null) continue;
      const key = { ...ref, recipientId, nodeId: candidate.nodeId };
      if (action === 'AWARD') {
        const inserted = await store.insertAward(tx, { ...key, achievementId: candidate.achievementId, standing: 'ACTIVE', credentialIds: candidate.credentialIds, awardedAt: candidate.at! });
        if (inserted) events.push(completedEvent(pathway, recipientId, result, held, { nodeId: candidate.nodeId, achievementId: candidate.achievementId, credentialIds: candidate.credentialIds, at: candidate.at! }));
      } else {
        const standing = standingAfter(action);
        await store.setAwardStanding(tx, key, standing);
        events.push(
          pathwayAwardStandingChangedEvent.build({
            pathwayId: pathway.id,
            version: pathway.version,
            issuerId: pathway.issuerId,
            recipientId,
            milestoneNodeId: candidate.nodeId === ROOT_NODE_ID ? null : candidate.nodeId,
            standing,
            previous: award!.standing,
            // The award's own credentials that no longer count, and not those a broken sequence merely stopped using.
            lapsedCredentialIds: standing === 'ACTIVE' ? [] : award!.credentialIds.filter((id) => lapsedIn(result.root).has(id)),
          }),
        );
      }
    }
    return events;
  }

  async function recompute(tx: Db, recipientId: string, keys: readonly string[], at: Date): Promise<NewEvent[]> {
    const versions = await store.publishedVersionsMatching(tx, keys);
    if (versions.length === 0) return [];
    const held = await store.heldBy(tx, recipientId);
    const events: NewEvent[] = [];
    for (const pathway of versions) events.push(...(await evaluate(tx, recipientId, pathway, held, at)));
    return events;
  }

  const keysOf = (row: HeldCredentialRow) => credentialKeys(row);

  return {
    /** A credential this hub issued: known from now on, counted from its delivery. */
    async recordIssued(tx: Db, issued: IssuedCredential): Promise<void> {
      const facts = factsFromDocument(issued.document);
      const row: NewHeldCredentialRow = {
        credentialId: issued.credentialId,
        issuerId: issued.issuerId,
        issuerRef: facts.issuerRef,
        local: true,
        achievementId: issued.achievementId,
        achievementUrl: facts.achievementUrl,
        skills: facts.skills,
        results: facts.results,
        earnedAt: issued.issuedAt,
        validUntil: issued.validUntil,
        status: 'ACTIVE',
        verified: true,
        trusted: true,
        recipientIdentity: issued.recipient,
        document: issued.document,
      };
      await store.upsertHeld(tx, row);
    },

    async recordDelivered(tx: Db, credentialId: string, recipientId: string, at: Date): Promise<NewEvent[]> {
      const row = await store.deliver(tx, credentialId, recipientId);
      if (!row) {
        log.warn({ credentialId }, 'delivery of a credential whose issuance was never seen; ignored');
        return [];
      }
      return recompute(tx, recipientId, keysOf(row), at);
    },

    async recordImported(tx: Db, imported: ImportedCredential, at: Date): Promise<NewEvent[]> {
      const facts = factsFromDocument(imported.document);
      const row: NewHeldCredentialRow = {
        credentialId: imported.credentialId,
        recipientId: imported.recipientId,
        issuerId: imported.issuerId,
        issuerRef: facts.issuerRef,
        local: false,
        achievementId: null,
        achievementUrl: facts.achievementUrl,
        skills: facts.skills,
        results: facts.results,
        earnedAt: facts.earnedAt ?? at,
        validUntil: facts.validUntil,
        status: 'ACTIVE',
        verified: imported.verified,
        trusted: imported.verified && imported.trusted,
        recipientIdentity: null,
        document: imported.document,
      };
      await store.upsertHeld(tx, row);
      return recompute(tx, imported.recipientId, credentialKeys({ achievementId: null, achievementUrl: facts.achievementUrl, skills: facts.skills }), at);
    },

    async recordStatus(tx: Db, credentialId: string, status: HoldingStatus, at: Date): Promise<NewEvent[]> {
      const row = await store.setStatus(tx, credentialId, status);
      if (!row?.recipientId) return [];
      return recompute(tx, row.recipientId, keysOf(row), at);
    },

    async recordMerged(tx: Db, survivorId: string, mergedRecipientId: string, at: Date): Promise<NewEvent[]> {
      await store.repointRecipient(tx, mergedRecipientId, survivorId);
      const held = await store.heldBy(tx, survivorId);
      return recompute(tx, survivorId, [...new Set(held.flatMap(keysOf))], at);
    },

    /**
     * Re-evaluates the holders of credentials that expired (no event says so), as of now: progress loses the step,
     * and the FLAG or SUSPEND policy applies to awards resting on it. Returns how many credentials it took.
     */
    async sweepExpired(now: Date, limit = 100): Promise<number> {
      return db.transaction(async (tx) => {
        const expired = await store.claimExpired(tx, now, limit);
        const events: NewEvent[] = [];
        for (const row of expired) events.push(...(await recompute(tx, row.recipientId!, keysOf(row), now)));
        await store.markExpiryApplied(tx, expired.map((row) => row.credentialId), now);
        await appendEvents(tx, events);
        return expired.length;
      });
    },

    /**
     * A chunk of a version's back-fill: the next holders of its member credentials after `after` (recipient-id order)
     * get their progress. Returns their events and the last holder taken (null when there was none).
     */
    async backfillChunk(tx: Db, pathway: PathwayView, after: string | null, limit: number, at: Date): Promise<{ events: NewEvent[]; holders: string[] }> {
      const holders = await store.recipientsHoldingKeys(tx, leafKeysOf(pathway.requirement), { after, limit });
      const events: NewEvent[] = [];
      for (const recipientId of holders) events.push(...(await evaluate(tx, recipientId, pathway, await store.heldBy(tx, recipientId), at)));
      return { events, holders };
    },
  };
}

function lapsedIn(node: PathwayProgress['root'], into = new Set<string>()): Set<string> {
  for (const { credentialId } of node.lapsed) into.add(credentialId);
  for (const child of node.children) lapsedIn(child, into);
  return into;
}

function milestoneCandidates(requirement: RequirementNode, result: PathwayProgress) {
  const reached = new Map(result.milestones.map((milestone) => [milestone.nodeId, milestone]));
  const all: { nodeId: string; achievementId: string; satisfied: boolean; credentialIds: string[]; at: Date | null }[] = [];
  const visit = (node: RequirementNode) => {
    if (!isGroup(node)) return;
    if (node.milestoneAchievementId) {
      const milestone = reached.get(node.id);
      all.push({ nodeId: node.id, achievementId: node.milestoneAchievementId, satisfied: milestone !== undefined, credentialIds: milestone?.credentialIds ?? [], at: milestone?.satisfiedAt ?? null });
    }
    node.children.forEach(visit);
  };
  visit(requirement);
  return all;
}

export type PathwayProgressService = ReturnType<typeof createPathwayProgressService>;
