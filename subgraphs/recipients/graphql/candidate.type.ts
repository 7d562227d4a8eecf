import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import type { ConsentScopeValue, ShareRow } from '../db/share-tables.js';
import type { WalletCredentialSummary } from '../db/tables.js';
import type { EvidenceStrength as EvidenceStrengthValue } from '../domain/credential-skills.js';
import { CandidateAccess, ConsentScope, EvidenceStrength, Share } from './share.type.js';

/**
 * One skill across a candidate's credentials and issuers (same framework + code). The verification subgraph adds
 * `allCredentialsVerified` from `verificationInputs` (@requires), so verdicts never cross by SQL.
 */
@ObjectType('StackedSkillPathway', { description: 'A pathway the candidate completed, as the stacked-skills view names it.' })
export class StackedSkillPathway {
  @Field(() => ID) pathwayId!: string;
  @Field(() => String, { description: 'The pathway’s name in the latest version completed.' }) name!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('StackedSkill', { description: 'A skill aggregated across the candidate’s credentials and issuers by framework + code.' })
export class StackedSkill {
  @Field(() => ID, { description: 'Stable for the share or consent it was computed in: `<view id>|<framework>|<code>`.' }) id!: string;
  @Field(() => String, { description: 'ESCO, ONET, LIGHTCAST or CUSTOM (or another framework’s name as stated).' }) framework!: string;
  @Field(() => String) code!: string;
  @Field(() => String, { description: 'As the most recent credential names it.' }) name!: string;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => Int, { description: 'How many of the visible credentials evidence it.' }) credentialCount!: number;
  @Field(() => Int, {
    description:
      'How many independent sources evidence it: each visible credential outside the completed pathways shown, plus each such pathway once (its award and the member credentials that satisfied it are one source).',
  })
  sourceCount!: number;
  @Field(() => [StackedSkillPathway], { description: 'The completed pathways (award shown) whose credentials evidence it, each counted once in `sourceCount`.' })
  pathways!: StackedSkillPathway[];
  @Field(() => EvidenceStrength, { description: 'The strongest evidence any of those credentials carries.' }) strongestEvidence!: EvidenceStrengthValue;
  @Field(() => GraphQLDateTime, { description: 'When the most recent of them was earned (validFrom).' }) mostRecentAt!: Date;
  @Directive('@inaccessible')
  @Field(() => [GraphQLJSONObject], { description: 'For the verification subgraph: each supporting credential’s id and document digest.' })
  verificationInputs!: Record<string, unknown>[];
  /** The supporting wallet rows, newest first (not a schema field: `credentials` resolves from it). */
  rows!: WalletCredentialSummary[];
}

// An entity so the achievements subgraph can add `pathways`, computed from `visibleCredentialIds` (@requires): an
// employer sees pathway progress made of exactly the credentials this view shows.
@Directive('@key(fields: "id")')
@ObjectType('CandidateView', {
  description: 'What an employer (or anyone holding a public link) sees of a candidate: only what the candidate shared or consented to.',
})
export class CandidateView {
  @Field(() => ID, { description: 'The share’s or the consent’s id.' }) id!: string;
  @Field(() => ID) recipientId!: string;
  @Field(() => CandidateAccess) access!: CandidateAccess;
  @Field(() => Share, { nullable: true, description: 'The share this view came through (null for a consent).' }) share!: (ShareRow & { url: string | null }) | null;
  @Field(() => ConsentScope, { nullable: true, description: 'The consent’s scope (null for a share).' }) consentScope!: ConsentScopeValue | null;
  @Directive('@inaccessible')
  @Field(() => [ID], { description: 'For the achievements subgraph: the ids of the credentials this view shows.' })
  visibleCredentialIds?: string[];
  /** Every credential visible through this view, in the share's or the wallet's order (not a schema field). */
  rows!: WalletCredentialSummary[];
}
