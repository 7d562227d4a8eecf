import { Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { VerificationContext } from '../context.js';
import type { WalletCredential } from '../verifications.js';

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

/** A StackedSkill reference as the gateway sends it, with the supporting credentials recipients gave it. */
export function resolveStackedSkillReference(reference: { id: string; verificationInputs?: WalletCredential[] }): StackedSkill {
  return { id: reference.id, verificationInputs: reference.verificationInputs ?? [] };
}

@Resolver(() => StackedSkill)
export class StackedSkillVerificationResolver {
  @Directive('@requires(fields: "verificationInputs")')
  @FieldResolver(() => Boolean, {
    description: 'Whether every credential that evidences this skill verified (VALID) just now; false if any is revoked, expired, invalid or unknown.',
  })
  async allCredentialsVerified(@Root() skill: StackedSkill, @Ctx() ctx: VerificationContext): Promise<boolean> {
    // The same per-request loader as Credential.verification: one verdict batch for all the skills of a query.
    const verdicts = await Promise.all(skill.verificationInputs.map((credential) => ctx.loaders.verdictByCredential.load(credential)));
    return verdicts.length > 0 && verdicts.every((verdict) => verdict.verified);
  }
}
