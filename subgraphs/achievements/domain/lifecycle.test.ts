import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../../test/helpers/errors.js';
import { normaliseAchievementDefinition } from './achievement-definition.js';
import { FIRST_VERSION, assertPublishable, planArchive, planPublish, planUpdate, type AchievementState } from './lifecycle.js';

const publishedV1: AchievementState = { status: 'PUBLISHED', currentVersion: 1, latestVersion: 1, publishedVersion: 1, draftVersion: null };
const v2Pending: AchievementState = { ...publishedV1, latestVersion: 2, draftVersion: 2 };

describe('achievement lifecycle', () => {
  test('a new achievement is version 1, a draft, and its current version', () => {
    expect(FIRST_VERSION).toEqual({ status: 'DRAFT', currentVersion: 1, latestVersion: 1, publishedVersion: null, draftVersion: 1 });
  });

  test('updating a draft edits that draft in place', () => {
    expect(planUpdate(FIRST_VERSION)).toEqual({ version: 1, baseVersion: 1, createsVersion: false, next: FIRST_VERSION });
    expect(planUpdate(v2Pending)).toMatchObject({ version: 2, baseVersion: 2, createsVersion: false });
  });

  test('updating a published achievement starts draft version n+1 from version n, which stays published', () => {
    expect(planUpdate(publishedV1)).toEqual({
      version: 2,
      baseVersion: 1,
      createsVersion: true,
      next: { status: 'PUBLISHED', currentVersion: 1, latestVersion: 2, publishedVersion: 1, draftVersion: 2 },
    });
  });

  test('publishing the first draft makes it current and published', () => {
    expect(planPublish(FIRST_VERSION)).toEqual({
      version: 1,
      supersedes: null,
      next: { status: 'PUBLISHED', currentVersion: 1, latestVersion: 1, publishedVersion: 1, draftVersion: null },
      versions: [{ version: 1, status: 'PUBLISHED' }],
    });
  });

  test('publishing version n+1 supersedes version n', () => {
    expect(planPublish(v2Pending)).toEqual({
      version: 2,
      supersedes: 1,
      next: { status: 'PUBLISHED', currentVersion: 2, latestVersion: 2, publishedVersion: 2, draftVersion: null },
      versions: [
        { version: 1, status: 'SUPERSEDED' },
        { version: 2, status: 'PUBLISHED' },
      ],
    });
  });

  test('publishing without a draft is a CONFLICT that says how to start one', () => {
    const error = thrownBy(() => planPublish(publishedV1));
    expect(error?.code).toBe('CONFLICT');
    expect(error?.message).toMatch(/update the achievement to start version 2/);
  });

  test('archiving archives the published version and any pending draft; the current version stays readable', () => {
    expect(planArchive(v2Pending)).toEqual({
      next: { status: 'ARCHIVED', currentVersion: 1, latestVersion: 2, publishedVersion: null, draftVersion: null },
      versions: [
        { version: 1, status: 'ARCHIVED' },
        { version: 2, status: 'ARCHIVED' },
      ],
    });
    expect(planArchive(FIRST_VERSION)?.versions).toEqual([{ version: 1, status: 'ARCHIVED' }]);
  });

  test('archiving twice changes nothing; an archived achievement can be neither updated nor published', () => {
    const archived = planArchive(publishedV1)!.next;
    expect(planArchive(archived)).toBeNull();
    expect(thrownBy(() => planUpdate(archived))?.code).toBe('CONFLICT');
    expect(thrownBy(() => planPublish(archived))?.code).toBe('CONFLICT');
  });

  test('a competency-based achievement needs an evidence rule before it is published', () => {
    const input = { issuerId: '0190a0a0-0000-7000-8000-00000000000a', name: 'N', description: 'D', criteria: { narrative: 'C' } };
    const bare = normaliseAchievementDefinition({ ...input, achievementType: 'MicroCredential' }).definition;
    expect(thrownBy(() => assertPublishable(bare))?.details.field).toBe('evidenceRules');
    expect(() => assertPublishable({ ...bare, evidenceRules: [{ kind: 'PROJECT', minCount: 1 }] })).not.toThrow();
    expect(() => assertPublishable({ ...bare, competencyBased: false })).not.toThrow();
    expect(() => assertPublishable(normaliseAchievementDefinition({ ...input, achievementType: 'Course' }).definition)).not.toThrow();
  });
});
