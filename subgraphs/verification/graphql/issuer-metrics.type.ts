import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('IssuerMetrics', { description: 'How an issuer’s program is doing, kept up to date from the event log.' })
export class IssuerMetrics {
  @Field(() => Int) achievementsCreated!: number;
  @Field(() => Int) credentialsIssued!: number;
  @Field(() => Int) credentialsRevoked!: number;
  @Field(() => Int) credentialsVerified!: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a counted event last arrived; null before the first.' })
  updatedAt!: Date | null;
}
