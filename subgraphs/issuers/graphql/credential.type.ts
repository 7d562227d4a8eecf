import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { EVIDENCE_KINDS } from '../../../lib/ob/evidence-rules.js';

export const EvidenceKind = Object.fromEntries(EVIDENCE_KINDS.map((kind) => [kind, kind])) as { [K in (typeof EVIDENCE_KINDS)[number]]: K };
registerEnumType(EvidenceKind, { name: 'EvidenceKind', description: 'What kind of work a piece of evidence shows.' });

export enum IssuanceStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
}
registerEnumType(IssuanceStatus, {
  name: 'IssuanceStatus',
  valuesConfig: {
    SUSPENDED: { description: 'Its suspension bit is set until it is reinstated.' },
    REVOKED: { description: 'Its status bit is set for good.' },
  },
});

/** Internal values are the W3C `statusPurpose` strings, so rows and list entries need no mapping. */
export enum StatusPurpose {
  REVOCATION = 'revocation',
  SUSPENSION = 'suspension',
}
registerEnumType(StatusPurpose, {
  name: 'StatusPurpose',
  description: 'What the one status entry of a credential is for (Open Badges 3.0 allows a single credentialStatus).',
  valuesConfig: {
    REVOCATION: { description: 'Can be revoked, never suspended.' },
    SUSPENSION: { description: 'Can be suspended and reinstated; revoking sets its bit for good.' },
  },
});

@ObjectType('CredentialIssuance', { description: 'The issuer’s record of a credential it signed: status, suspension and revocation.' })
export class CredentialIssuance {
  @Field(() => IssuanceStatus) status!: IssuanceStatus;
  @Field(() => StatusPurpose, { description: 'Chosen at issuance: whether the credential can be suspended.' }) statusPurpose!: StatusPurpose;
  @Field(() => GraphQLDateTime) issuedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) validUntil!: Date | null;
  @Field(() => ID) achievementId!: string;
  @Field(() => Int, { description: 'The achievement version embedded in the credential.' }) achievementVersion!: number;
  @Field(() => String, { description: 'Where the signed credential is served.' }) url!: string;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true }) statusChangedAt!: Date | null;
}

/** Recipients owns Credential; the issuers subgraph contributes how and whether it is still valid. */
@Directive('@key(fields: "id")')
@ObjectType('Credential')
export class Credential {
  @Field(() => ID) id!: string;
  @Field(() => CredentialIssuance, { nullable: true, description: 'Null for credentials this hub did not issue.' })
  issuance!: CredentialIssuance | null;
}

@InputType({ description: 'Exactly one way to identify the recipient.' })
export class RecipientInput {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) did?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +4915112345678.' }) phone?: string | null;
  @Field(() => String, { nullable: true }) studentId?: string | null;
  @Field(() => String, { nullable: true, description: 'Display name for the wallet (not put in the credential).' })
  name?: string | null;
}

@InputType()
export class EvidenceInput {
  @Field(() => EvidenceKind) kind!: string;
  @Field(() => String, { nullable: true, description: 'Where the work can be seen.' }) url?: string | null;
  @Field(() => String, { nullable: true, description: 'What was done and how it was judged (Markdown).' }) narrative?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) genre?: string | null;
}

@InputType()
export class IssueCredentialInput {
  @Field(() => ID, { description: 'Issued from the achievement’s current published version.' }) achievementId!: string;
  @Field(() => RecipientInput) recipient!: RecipientInput;
  @Field(() => [EvidenceInput]) evidence!: EvidenceInput[];
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Default: now.' }) validFrom?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Default: validFrom + the achievement’s validity period.' })
  validUntil?: Date | null;
  @Field(() => String, { description: 'Retrying with the same key returns the same credential, never a second one.' })
  idempotencyKey!: string;
  // No schema default: the subgraph schema is rebuilt from SDL, where an enum default would arrive as its name.
  @Field(() => StatusPurpose, { nullable: true, description: 'Default: REVOCATION. SUSPENSION allows suspendCredential and reinstateCredential.' })
  statusPurpose?: StatusPurpose | null;
}

@ObjectType()
export class IssueCredentialPayload {
  @Field(() => Credential) credential!: Credential;
  @Field(() => GraphQLJSONObject, { description: 'The signed OpenBadgeCredential.' }) document!: Record<string, unknown>;
}

@InputType()
export class RevokeCredentialInput {
  @Field(() => ID) credentialId!: string;
  @Field(() => String, { nullable: true, description: 'Recorded with the change.' }) reason?: string | null;
}

@ObjectType()
export class RevokeCredentialPayload {
  @Field(() => Credential) credential!: Credential;
}

@InputType()
export class SuspendCredentialInput {
  @Field(() => ID) credentialId!: string;
  @Field(() => String, { nullable: true, description: 'Recorded with the change.' }) reason?: string | null;
}

@ObjectType()
export class SuspendCredentialPayload {
  @Field(() => Credential) credential!: Credential;
}

@InputType()
export class ReinstateCredentialInput {
  @Field(() => ID) credentialId!: string;
  @Field(() => String, { nullable: true, description: 'Recorded with the change.' }) reason?: string | null;
}

@ObjectType()
export class ReinstateCredentialPayload {
  @Field(() => Credential) credential!: Credential;
}

@ObjectType('EuropassWarning', { description: 'Something the EDC export could not fill from the credential.' })
export class EuropassWarning {
  @Field(() => String, {
    description:
      'Stable: RECIPIENT_NAME_MISSING, ISSUER_LEGAL_IDENTIFIER, ISSUER_COUNTRY_MISSING, EU_ELEMENT_MISSING, LEARNING_OUTCOMES_MISSING, ' +
      'LANGUAGE_ASSUMED, LANGUAGE_NOT_EU, DISPLAY_IMAGE_MISSING.',
  })
  code!: string;
  @Field(() => String, { description: 'The EDC property it is about, e.g. credentialSubject.fullName.' }) field!: string;
  @Field(() => String) message!: string;
}

@ObjectType('EuropassExport', {
  description:
    'The credential as an unsigned European Digital Credential (ELM 3, VC 1.1 envelope) for the institution to seal with its eIDAS seal.',
})
export class EuropassExport {
  @Field(() => GraphQLJSONObject) document!: Record<string, unknown>;
  @Field(() => [EuropassWarning], { description: 'Every field the export could not fill; empty warnings still leave sealing to the institution.' })
  warnings!: EuropassWarning[];
  @Field(() => SealedEdc, { nullable: true, description: 'The EDC the institution sealed and handed back (importSealedEdc), served at the credential’s URL with format=edc.' })
  sealed!: SealedEdc | null;
}

@ObjectType('SealedEdc', { description: 'A European Digital Credential sealed by the issuing institution with its eIDAS seal.' })
export class SealedEdc {
  @Field(() => GraphQLJSONObject, { description: 'The JAdES seal in the JWS JSON serialisation, as handed back.' }) document!: Record<string, unknown>;
  @Field(() => String, { description: 'The subject of the seal certificate.' }) sealedBy!: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'The signing time the seal claims (not a trusted timestamp).' }) signingTime!: Date | null;
  @Field(() => GraphQLDateTime) importedAt!: Date;
}

export enum SealTrust {
  TRUSTED = 'TRUSTED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(SealTrust, {
  name: 'SealTrust',
  description: 'Whether the seal’s certificate chain reaches one of the operator’s trust anchors (EUROPASS_TRUST_ANCHORS).',
  valuesConfig: { UNKNOWN: { description: 'The seal holds; no configured anchor vouches for it (or none is configured).' } },
});

@InputType({ description: 'The EDC the institution sealed (from Credential.europass or the europass.zip export), handed back.' })
export class ImportSealedEdcInput {
  @Field(() => ID) credentialId!: string;
  @Field(() => GraphQLJSON, { description: 'The JAdES seal in the JWS JSON serialisation ({ payload, signatures }), as an object or as its text.' })
  sealed!: unknown;
}

@ObjectType()
export class ImportSealedEdcPayload {
  @Field(() => Credential) credential!: Credential;
  @Field(() => SealedEdc) sealed!: SealedEdc;
  @Field(() => SealTrust) trust!: SealTrust;
  @Field(() => String) trustMessage!: string;
}
