import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { WalletCredential } from '../services/verifications.js';

/**
 * Recipients computes stacked skills (a candidate's skills across credentials and issuers); this subgraph adds
 * whether every credential behind one verified. The credentials arrive through `@requires`, so verdicts are
 * reached without reading another subgraph's tables.
 */
@Directive('@key(fields: "id")')
@ObjectType('StackedSkill')
export class StackedSkill {
  @Field(() => ID) id!: string;
  // Inaccessible in the supergraph: recipients marks it so (an external field may not repeat the directive).
  @Directive('@external')
  @Field(() => [GraphQLJSONObject])
  verificationInputs!: WalletCredential[];
}
