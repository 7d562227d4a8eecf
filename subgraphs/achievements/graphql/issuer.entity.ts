import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The issuers subgraph owns Issuer; this stub only names its key, so this subgraph can add
 * `Issuer.achievements` and point `Achievement.issuer` at it without ever reading the issuers tables.
 */
@Directive('@key(fields: "id")')
@ObjectType('Issuer')
export class Issuer {
  @Field(() => ID) id!: string;
}
