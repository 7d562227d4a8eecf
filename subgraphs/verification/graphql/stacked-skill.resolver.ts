import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { VerificationContext } from '../context.js';
import { StackedSkill } from './stacked-skill.entity.js';

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
