import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The issuers subgraph owns Issuer; this subgraph only adds `metrics` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Issuer')
export class Issuer {
  @Field(() => ID) id!: string;
}
