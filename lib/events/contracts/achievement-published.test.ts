import { describe, expect, test } from 'vitest';
import { achievementDefinition } from '../../../test/helpers/achievements.js';
import { achievementPublishedEvent, achievementPublishedPayload } from './achievement-published.js';

const achievementId = '0190a0a0-0000-7000-8000-0000000000ac';
const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const definition = achievementDefinition({
  version: 2,
  name: 'Welding Level 1',
  description: 'Runs a clean MIG bead.',
  criteria: { narrative: 'Pass the practical.', url: null },
  image: { url: 'https://acme.example/badge.png', caption: null },
  estimatedLearningHours: 20,
  validity: 'P2Y',
});

describe('the AchievementPublished payload', () => {
  test('carries the OB achievement and every rule issuance needs', () => {
    expect(achievementPublishedPayload({ achievementId, issuerId, definition, publicBaseUrl: 'https://hub.example' })).toEqual({
      achievementId,
      issuerId,
      version: 2,
      achievement: {
        id: `https://hub.example/achievements/${achievementId}/versions/2`,
        type: ['Achievement'],
        name: 'Welding Level 1',
        description: 'Runs a clean MIG bead.',
        criteria: { narrative: 'Pass the practical.' },
        image: { id: 'https://acme.example/badge.png', type: 'Image' },
        achievementType: 'Competency',
        version: '2',
      },
      evidenceRules: [{ kind: 'ASSESSMENT', minCount: 1 }],
      competencyBased: true,
      validity: 'P2Y',
      imageUrl: 'https://acme.example/badge.png',
    });
  });

  test('a consumer reads back what was published, through JSON', () => {
    const payload = achievementPublishedPayload({ achievementId, issuerId, definition, publicBaseUrl: 'https://hub.example' });
    expect(achievementPublishedEvent.read(JSON.parse(JSON.stringify(payload)))).toEqual({ payload });
  });

  test('a malformed payload is a problem to log, not an exception', () => {
    const payload = achievementPublishedPayload({ achievementId, issuerId, definition, publicBaseUrl: 'https://hub.example' });
    const read = achievementPublishedEvent.read({ ...payload, validity: '2 years', evidenceRules: [{ kind: 'VIBES', minCount: 0 }] });
    expect(read).toHaveProperty('problem');
    expect((read as { problem: string }).problem).toMatch(/validity/);
    expect(achievementPublishedEvent.read({ ...payload, achievement: { ...payload.achievement, type: 'Achievement' } })).toHaveProperty('problem');
  });
});
