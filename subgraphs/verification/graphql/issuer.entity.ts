import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';

/** The issuers subgraph owns Issuer; this subgraph only adds `metrics` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Issuer')
export class Issuer {
  @Field(() => ID) id!: string;
}

@ObjectType('IssuerMetrics', { description: 'How an issuer’s program is doing, kept up to date from the event log.' })
export class IssuerMetrics {
  @Field(() => Int) achievementsCreated!: number;
  @Field(() => Int) credentialsIssued!: number;
  @Field(() => Int) credentialsRevoked!: number;
  @Field(() => Int) credentialsVerified!: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a counted event last arrived; null before the first.' })
  updatedAt!: Date | null;
}
