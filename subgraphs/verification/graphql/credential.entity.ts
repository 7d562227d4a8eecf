import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { VerificationResult } from './verification.type.js';

/** Recipients owns Credential (and its document); this subgraph contributes the verdict on it. */
@Directive('@key(fields: "id")')
@ObjectType('Credential')
export class Credential {
  @Field(() => ID) id!: string;
  @Directive('@external')
  @Field(() => GraphQLJSONObject)
  document!: Record<string, unknown>;
  @Directive('@external')
  @Field(() => String, { nullable: true })
  encoded!: string | null;
  @Directive('@requires(fields: "document encoded")')
  @Field(() => VerificationResult, {
    description: 'The verdict on this credential, re-checked when it may have changed (status list TTL, validity window, a status event).',
  })
  verification?: VerificationResult;
}
