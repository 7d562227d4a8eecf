import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../../lib/graphql/pagination.js';
import type { ConsentScopeValue, ShareAudienceValue } from '../db/share-tables.js';
import type { ValidityFilterValue } from '../domain/candidate-filter.js';
import { Credential } from './credential.type.js';

export enum ShareAudience {
  PUBLIC = 'PUBLIC',
  EMPLOYER = 'EMPLOYER',
}
registerEnumType(ShareAudience, {
  name: 'ShareAudience',
  valuesConfig: {
    PUBLIC: { description: 'Anyone with the link, no key needed.' },
    EMPLOYER: { description: 'Only API keys of the employer organisation named in employerId.' },
  },
});

export enum ConsentScope {
  PUBLIC_AND_SHARED = 'PUBLIC_AND_SHARED',
  ALL = 'ALL',
}
registerEnumType(ConsentScope, {
  name: 'ConsentScope',
  description: 'What a standing consent lets an employer read of a candidate.',
  valuesConfig: {
    PUBLIC_AND_SHARED: { description: 'The wallet credentials marked PUBLIC or SHARED_ONLY; PRIVATE ones stay private.' },
    ALL: { description: 'Every credential in the wallet, PRIVATE ones included.' },
  },
});

export enum CandidateAccess {
  SHARE = 'SHARE',
  CONSENT = 'CONSENT',
}
registerEnumType(CandidateAccess, { name: 'CandidateAccess', description: 'How the viewer came to see this candidate.' });

export enum CredentialValidity {
  CURRENT = 'CURRENT',
  EXPIRED = 'EXPIRED',
  ANY = 'ANY',
}
registerEnumType(CredentialValidity, {
  name: 'CredentialValidity',
  description: 'Filters by the validity window the credential states (revocation and proofs: see `verification`).',
  valuesConfig: {
    CURRENT: { description: 'Valid from before now, and not past validUntil.' },
    EXPIRED: { description: 'Past validUntil.' },
    ANY: { description: 'No filter.' },
  },
});

export enum EvidenceStrength {
  ASSESSMENT = 'ASSESSMENT',
  PROJECT = 'PROJECT',
  WORK_PRODUCT = 'WORK_PRODUCT',
  INSTRUCTOR_EVALUATION = 'INSTRUCTOR_EVALUATION',
  PEER_REVIEW = 'PEER_REVIEW',
  ATTENDANCE = 'ATTENDANCE',
  OTHER = 'OTHER',
  NONE = 'NONE',
}
registerEnumType(EvidenceStrength, {
  name: 'EvidenceStrength',
  description:
    'Kinds of evidence, strongest first: an assessed performance, work others can inspect, judgements about it, presence. ' +
    'OTHER: evidence of a kind Cairn cannot tell (no known genre). NONE: no evidence at all.',
});

@ObjectType('Share', { description: 'A link to a selection of a recipient’s credentials, frozen when it was made.' })
export class Share {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The link (it contains the token). Only known when the share is made or opened by its token: the token is kept hashed.',
  })
  url!: string | null;
  @Field(() => ShareAudience) audience!: ShareAudienceValue;
  @Field(() => ID, { name: 'employerId', nullable: true, description: 'The employer organisation an EMPLOYER share is for (its keys’ `me { employerId }`).' }) employerOrgId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The portfolio the selection was taken from.' }) portfolioId!: string | null;
  @Field(() => GraphQLDateTime) expiresAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@InputType({ description: 'Exactly one of credentialIds or portfolioId.' })
export class CreateShareInput {
  @Field(() => [ID], { nullable: true, description: 'Wallet credentials to share, in the order to show them (at most 200).' })
  credentialIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'Share the credentials of this portfolio, as they are now.' }) portfolioId?: string | null;
  @Field(() => ShareAudience) audience!: ShareAudienceValue;
  @Field(() => ID, { nullable: true, description: 'Required for EMPLOYER shares: the employer’s `me { employerId }`.' }) employerId?: string | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Default: 30 days from now; at most 366 days ahead.' }) expiresAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Operators only: whose credentials. A recipient shares its own.' }) recipientId?: string | null;
}

@ObjectType()
export class CreateSharePayload {
  @Field(() => Share) share!: Share;
  @Field(() => String, { description: 'The share token, shown once: Cairn keeps only a hash. `share.url` carries it too.' }) token!: string;
}

@InputType()
export class RevokeShareInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RevokeSharePayload {
  @Field(() => Share) share!: Share;
}

@ObjectType('Consent', { description: 'A standing permission for an employer to query the candidate, until revoked.' })
export class Consent {
  @Field(() => ID) id!: string;
  @Field(() => ID, { name: 'employerId' }) employerOrgId!: string;
  @Field(() => ConsentScope) scope!: ConsentScopeValue;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
}

@InputType()
export class GrantConsentInput {
  @Field(() => ID, { description: 'The employer’s `me { employerId }`.' }) employerId!: string;
  @Field(() => ConsentScope) scope!: ConsentScopeValue;
  @Field(() => ID, { nullable: true, description: 'Operators only.' }) recipientId?: string | null;
}

@ObjectType()
export class GrantConsentPayload {
  @Field(() => Consent) consent!: Consent;
}

@InputType()
export class RevokeConsentInput {
  @Field(() => ID) employerId!: string;
  @Field(() => ID, { nullable: true, description: 'Operators only.' }) recipientId?: string | null;
}

@ObjectType()
export class RevokeConsentPayload {
  @Field(() => [Consent], { description: 'The consents that ended (empty when there was none).' }) revoked!: Consent[];
}

@ArgsType()
export class CandidateCredentialsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only credentials aligned to this skill code (e.g. an ESCO concept URI or O*NET code).' })
  skillCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Only credentials of this issuer: a Cairn issuer id, or the issuer DID/URL the credential states.' })
  issuer?: string | null;
  @Field(() => CredentialValidity, { nullable: true, description: 'Default ANY.' }) validity?: ValidityFilterValue | null;
}

@ArgsType()
export class StackedSkillsArgs {
  @Field(() => String, { nullable: true, description: 'Only this skill code.' }) skillCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Only this framework: ESCO, ONET, LIGHTCAST, CUSTOM (or a name as credentials state it).' })
  framework?: string | null;
}

@ObjectType('CredentialSkill', { description: 'A skill as the credential’s signed document aligns it (an OB Alignment to a competency).' })
export class CredentialSkill {
  @Field(() => String, { description: 'ESCO, ONET, LIGHTCAST or CUSTOM; another framework’s name as the credential states it.' }) framework!: string;
  @Field(() => String, { description: 'The code in its framework (the alignment’s targetCode, else its targetUrl).' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) url!: string | null;
}

@InputType()
export class RecordLinkedInShareInput {
  @Field(() => ID) credentialId!: string;
}

@ObjectType()
export class RecordLinkedInSharePayload {
  @Field(() => Credential) credential!: Credential;
  @Field(() => String) linkedInAddToProfileUrl!: string;
}
