import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';

@ObjectType('Portfolio', { description: 'A recipient’s own ordered collection of wallet credentials, across issuers. Visible to its owner.' })
export class Portfolio {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime) updatedAt!: Date;
  recipientId!: string;
}

export const PortfolioConnection = ConnectionType(Portfolio, 'Portfolio');

@InputType()
export class CreatePortfolioInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [ID], { description: 'Credentials of your wallet, in the order the portfolio shows them (at most 200).' })
  credentialIds!: string[];
  @Field(() => ID, { nullable: true, description: 'Operators only: whose portfolio. A recipient key creates its own.' })
  recipientId?: string | null;
}

@InputType({ description: 'Changes only what is given.' })
export class UpdatePortfolioInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'An empty string clears it.' }) description?: string | null;
  @Field(() => [ID], { nullable: true, description: 'The new ordered list, replacing the old one: adds, removes and re-orders at once.' })
  credentialIds?: string[] | null;
}

@InputType()
export class DeletePortfolioInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class PortfolioPayload {
  @Field(() => Portfolio) portfolio!: Portfolio;
}

@ObjectType()
export class DeletePortfolioPayload {
  @Field(() => ID) deletedPortfolioId!: string;
}
