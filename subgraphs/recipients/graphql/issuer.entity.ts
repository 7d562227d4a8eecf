import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The issuers subgraph owns Issuer; this stub only names its key so `Credential.issuer` can point at it.
 * `resolvable: false` because this subgraph has nothing to add to an issuer.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Issuer')
export class Issuer {
  @Field(() => ID) id!: string;
}
