import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { VerificationResult } from './verification.type.js';

/**
 * Recipients owns Credential; this subgraph contributes the verdict on it. It asks recipients only for the digest of
 * what the wallet holds: the document is the verifier's own copy, so no credential crosses the gateway to be judged.
 */
@Directive('@key(fields: "id")')
@ObjectType('Credential')
export class Credential {
  @Field(() => ID) id!: string;
  // Inaccessible in the supergraph: recipients marks it so (an external field may not repeat the directive).
  @Directive('@external')
  @Field(() => String, { nullable: true })
  documentDigest!: string | null;
  @Directive('@requires(fields: "documentDigest")')
  @Field(() => VerificationResult, {
    description: 'The verdict on this credential, re-checked when it may have changed (status list TTL, validity window, a status event).',
  })
  verification?: VerificationResult;
}
