import { hashIdentity } from './identity-hash.js';
import { OB_CREDENTIAL_CONTEXTS, OB_CREDENTIAL_SCHEMA_ENTRY } from './ob-constants.js';

/** Options for {@link buildSampleAchievementCredential}; everything but the issuer has a default. */
export interface SampleCredentialOptions {
  /** The issuer Profile id, which must be the controller of the signing key (e.g. a did:key DID). */
  issuerId: string;
  /** @default 'urn:uuid:1f0b6c2e-8d7a-4b8e-9d62-6f2a4c1e5b3a' */
  id?: string;
  /** @default 'a@example.com' */
  recipientEmail?: string;
  /** @default 'Kosher' (the spec's check-value salt, so the hash is easy to recognise) */
  salt?: string;
  /** @default '2024-01-01T00:00:00Z' */
  validFrom?: string;
  /** @default '2099-01-01T00:00:00Z' */
  validUntil?: string;
}

/**
 * A complete, unsigned OB 3.0 AchievementCredential exercising every part Cairn emits: embedded issuer Profile,
 * hashed e-mail identifier, full Achievement (criteria, image, alignment), evidence, validity window and the
 * 1EdTech credentialSchema entry, with every multi-valued property as an array. For tests, benchmarks and demos.
 */
export function buildSampleAchievementCredential(options: SampleCredentialOptions): Record<string, unknown> {
  const {
    issuerId,
    id = 'urn:uuid:1f0b6c2e-8d7a-4b8e-9d62-6f2a4c1e5b3a',
    recipientEmail = 'a@example.com',
    salt = 'Kosher',
    validFrom = '2024-01-01T00:00:00Z',
    validUntil = '2099-01-01T00:00:00Z',
  } = options;
  return {
    '@context': [...OB_CREDENTIAL_CONTEXTS],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Container Orchestration Fundamentals',
    issuer: {
      id: issuerId,
      type: ['Profile'],
      name: 'Cairn Academy',
      url: 'https://academy.example.org',
    },
    validFrom,
    validUntil,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: true,
          identityHash: hashIdentity(recipientEmail, salt),
          salt,
        },
      ],
      achievement: {
        id: 'https://academy.example.org/achievements/container-orchestration-fundamentals',
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Container Orchestration Fundamentals',
        description: 'Deploys, scales and troubleshoots containerised services on a Kubernetes cluster.',
        criteria: {
          narrative:
            'Passed the proctored practical exam: deploy a three-tier application, roll out an update without ' +
            'downtime, and diagnose two injected failures.',
        },
        image: {
          id: 'https://academy.example.org/achievements/container-orchestration-fundamentals/badge.png',
          type: 'Image',
          caption: 'Container Orchestration Fundamentals badge',
        },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'manage containerised applications',
            targetUrl: 'http://data.europa.eu/esco/skill/2f1a7c0e-5a38-4b4e-9d43-0a2b2f3c9d11',
            targetDescription: 'Deploy, scale and operate applications packaged as containers.',
            targetFramework: 'ESCO',
            targetType: 'ceasn:Competency',
          },
        ],
      },
    },
    evidence: [
      {
        id: 'https://academy.example.org/evidence/8c2e4f7a',
        type: ['Evidence'],
        name: 'Practical exam report',
        narrative: 'All three tasks completed within the time limit; both failures diagnosed from logs and events.',
      },
    ],
    credentialSchema: [{ ...OB_CREDENTIAL_SCHEMA_ENTRY }],
  };
}
