import { expect } from 'vitest';
import type { Viewer } from '../../lib/auth/viewer.js';
import type { Db } from '../../lib/db/client.js';
import { consumeBatch } from '../../lib/events/consumer.js';
import { credentialDeliveredEvent } from '../../lib/events/contracts/credential-delivered.js';
import { credentialIssuedEvent } from '../../lib/events/contracts/credential-issued.js';
import type { NewEvent } from '../../lib/events/types.js';
import { IdentityType } from '../../lib/identity.js';
import { silentLogger } from '../../lib/log.js';
import type { SubgraphInstance } from '../../lib/server/types.js';
import { pathwayProgressConsumer } from '../../subgraphs/achievements/consumers/pathway-progress.js';
import { createProgressStore } from '../../subgraphs/achievements/db/progress-store.js';
import { createPathwayJobStore } from '../../subgraphs/achievements/db/pathway-job-store.js';
import { createPathwayStore } from '../../subgraphs/achievements/db/pathway-store.js';
import { createPathwayJobs } from '../../subgraphs/achievements/services/pathway-jobs.js';
import { createPathwayProgressService, type PathwayProgressService } from '../../subgraphs/achievements/services/pathway-progress.js';
import { executeAs } from './execute.js';

/** What the achievements subgraph's pathway tests run under: the public base URL its achievement ids live at. */
export const PATHWAY_TEST_BASE_URL = 'https://cairn.example';

export const achievementUrl = (id: string) => `${PATHWAY_TEST_BASE_URL}/achievements/${id}/versions/1`;

/** CredentialIssued and CredentialDelivered, as the issuers and recipients subgraphs would append them. */
export function earnedEvents(credentialId: string, achievementId: string, recipientId: string, issuedAt: string, issuerId: string, validUntil: string | null = null): NewEvent[] {
  const document = { issuer: { id: `did:web:cairn.example:issuers:${issuerId}` }, validFrom: issuedAt, credentialSubject: { achievement: { id: achievementUrl(achievementId) } } };
  return [
    credentialIssuedEvent.build({ credentialId, issuerId, achievementId, achievementVersion: 1, name: 'x', issuedAt, validUntil, recipient: { type: IdentityType.EMAIL, value: `${recipientId}@example.org` }, document }),
    credentialDeliveredEvent.build({ credentialId, recipientId, issuerId }),
  ];
}

/** Drains the pathway progress projection, as the running consumer would, with the same checkpoint. */
export async function drainPathwayProgress(db: Db): Promise<void> {
  const consumer = pathwayProgressConsumer(createPathwayProgressService({ db, progress: createProgressStore(db), log: silentLogger() }), silentLogger());
  while ((await consumeBatch(db, consumer)) > 0);
}

/** A Course achievement of the issuer, through the achievements subgraph, published unless told not to. */
export async function achievementThrough(subgraph: SubgraphInstance, viewer: Viewer, issuerId: string, name: string, publish = true): Promise<string> {
  const created = await executeAs(subgraph, viewer, `mutation ($input: CreateAchievementInput!) { createAchievement(input: $input) { achievement { id } } }`, {
    input: { issuerId, name, description: `${name}.`, criteria: { narrative: 'Pass it.' }, achievementType: 'Course' },
  });
  expect(created.errors).toBeUndefined();
  const id = (created.data as any).createAchievement.achievement.id as string;
  if (publish) await executeAs(subgraph, viewer, `mutation ($input: PublishAchievementInput!) { publishAchievement(input: $input) { achievement { id } } }`, { input: { id } });
  return id;
}

/** The pathway jobs over a database, as another process's worker would run them (services/pathway-jobs.ts). */
export function pathwayJobsOver(db: Db, progress: Pick<PathwayProgressService, 'backfillChunk'> = createPathwayProgressService({ db, progress: createProgressStore(db), log: silentLogger() })) {
  return createPathwayJobs({ db, jobs: createPathwayJobStore(db), pathways: createPathwayStore(db), progress, log: silentLogger() });
}
