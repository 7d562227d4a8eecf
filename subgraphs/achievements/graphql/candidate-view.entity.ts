import { GraphQLDateTime } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { AwardStanding } from '../domain/pathway-awards.js';
import { AwardStandingEnum, Pathway } from './pathway.type.js';

/**
 * The recipients subgraph owns CandidateView (a share or a consent opened by an employer); this subgraph adds the
 * candidate's pathways, computed from the credentials the view shows, which arrive through `@requires`.
 */
@Directive('@key(fields: "id")')
@ObjectType('CandidateView')
export class CandidateView {
  @Field(() => ID) id!: string;
  @Directive('@external')
  @Field(() => ID)
  recipientId!: string;
  // Inaccessible in the supergraph: recipients marks it so (an external field may not repeat the directive).
  @Directive('@external')
  @Field(() => [ID])
  visibleCredentialIds!: string[];
}

/** A credential of the recipients subgraph, by id: the gateway resolves its fields (and its verification) there. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Credential')
export class CredentialReference {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'A pathway as an employer sees it: made of the credentials the candidate shared, nothing else.' })
export class CandidatePathway {
  @Field(() => Pathway) pathway!: unknown;
  @Field(() => Boolean) satisfied!: boolean;
  @Field(() => Int) percent!: number;
  @Field(() => GraphQLDateTime, { nullable: true }) completedAt!: Date | null;
  @Field(() => [ID], { description: 'What the candidate would earn next (requirement node ids).' }) next!: string[];
  @Field(() => CredentialReference, { nullable: true, description: 'The award credential, when shared: its `verification` is the award’s verdict.' })
  award!: CredentialReference | null;
  @Field(() => AwardStandingEnum, { nullable: true, description: 'FLAGGED or SUSPENDED when the award rests on a credential that lapsed.' })
  awardStanding!: AwardStanding | null;
  @Field(() => CredentialReference, { nullable: true, description: 'The CLR 2.0 record of the credentials that satisfied it, when shared.' })
  clr!: CredentialReference | null;
}
