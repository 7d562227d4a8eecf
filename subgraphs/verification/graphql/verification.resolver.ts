import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { VerificationResult as Verdict } from '../../../lib/verify/types.js';
import type { VerificationContext } from '../context.js';
import { Credential } from './credential.entity.js';
import { VerificationResult, VerifyCredentialInput, VerifyCredentialPayload } from './verification.type.js';

/** The lib verdict in GraphQL's shape: check names as enum values, this hub's issuer as a federated reference. */
export function toGraphqlVerdict<T extends Verdict>(verdict: T) {
  return {
    ...verdict,
    checks: verdict.checks.map((check) => ({ ...check, name: check.name.toUpperCase() })),
    issuer: verdict.issuer && { ...verdict.issuer, hubIssuer: verdict.issuer.hubIssuerId ? { id: verdict.issuer.hubIssuerId } : null },
  };
}

@Resolver(() => Credential)
export class VerificationResolver {
  @Mutation(() => VerifyCredentialPayload, {
    description:
      'Verifies any credential (OB 3.0 / VC 2.0 / VC 1.1 with embedded proofs, VC-JWT, baked PNG or SVG, OB 2.0, or by URL) offline where possible, check by check. Public: no key needed. Recorded as a CredentialVerified event with who asked.',
  })
  async verifyCredential(@Arg('input', () => VerifyCredentialInput) input: VerifyCredentialInput, @Ctx() ctx: VerificationContext) {
    const { result, verificationId } = await ctx.verifications.verifyCredential(ctx.viewer, input, 'GRAPHQL', !ctx.pageView);
    ctx.log.info({ verificationId, status: result.status }, 'credential verified');
    return toGraphqlVerdict({ ...result, verificationId });
  }

  @FieldResolver(() => VerificationResult)
  async verification(@Root() credential: Credential, @Ctx() ctx: VerificationContext) {
    return toGraphqlVerdict(await ctx.loaders.verdictByCredential.load(credential));
  }
}
