import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { UnauthenticatedError } from '../../../lib/errors.js';
import type { RecipientsContext } from '../context.js';
import type { CredentialRow } from '../db/tables.js';
import { walletOwnerFor } from '../domain/wallet-access.js';
import { Credential } from './credential.type.js';
import {
  ImportCredentialInput,
  ImportCredentialPayload,
  ImportVerdict,
  SetCredentialVisibilityInput,
  SetCredentialVisibilityPayload,
} from './wallet.type.js';

@Resolver(() => Credential)
export class WalletResolver {
  @Mutation(() => ImportCredentialPayload, {
    description:
      'Adds a credential from elsewhere to the wallet, verified first. INVALID ones are refused (BAD_USER_INPUT with `failedChecks`); ' +
      'revoked, expired or unverifiable-status ones are kept with their verdict. The same issuer + credential id again is a `duplicate`, ' +
      'unless its validFrom is newer, which replaces the held copy.',
  })
  async importCredential(@Arg('input', () => ImportCredentialInput) input: ImportCredentialInput, @Ctx() ctx: RecipientsContext) {
    const { recipientId: requested, ...credentialInput } = input;
    const recipientId = walletOwnerFor(ctx.viewer, requested);
    const { credential, outcome, verification } = await ctx.wallet.importCredential(recipientId, credentialInput);
    return { credential, duplicate: outcome === 'DUPLICATE', replaced: outcome === 'REPLACE', verdict: { status: verification.status, checks: verification.checks } };
  }

  @Mutation(() => SetCredentialVisibilityPayload, { description: 'Changes who may read one of your wallet credentials.' })
  async setCredentialVisibility(@Arg('input', () => SetCredentialVisibilityInput) input: SetCredentialVisibilityInput, @Ctx() ctx: RecipientsContext) {
    // Refused before anything is read.
    if (ctx.viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const held = await ctx.loaders.credentialById.load(input.credentialId);
    return { credential: await ctx.wallet.setCredentialVisibility(ctx.viewer, held, input) };
  }

  @FieldResolver(() => ImportVerdict, { nullable: true, description: 'The verdict at import; null for credentials issued on this hub.' })
  importVerdict(@Root() credential: CredentialRow): ImportVerdict | null {
    return credential.importStatus ? { status: credential.importStatus, checks: credential.importChecks ?? [] } : null;
  }
}
