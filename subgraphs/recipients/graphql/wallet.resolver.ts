import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { NotFoundError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import type { RecipientsContext } from '../context.js';
import type { CredentialRow } from '../db/tables.js';
import { canReadCredential, isWalletOwner, walletOwnerFor } from '../domain/wallet-access.js';
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
    const { credential, outcome, verification } = await ctx.importCredential(recipientId, credentialInput);
    ctx.loaders.credentialById.prime(credential.id, credential);
    ctx.log.info({ recipientId, credentialId: credential.id, outcome, status: verification.status }, 'credential imported');
    return { credential, duplicate: outcome === 'DUPLICATE', replaced: outcome === 'REPLACE', verdict: { status: verification.status, checks: verification.checks } };
  }

  @Mutation(() => SetCredentialVisibilityPayload, { description: 'Changes who may read one of your wallet credentials.' })
  async setCredentialVisibility(@Arg('input', () => SetCredentialVisibilityInput) input: SetCredentialVisibilityInput, @Ctx() ctx: RecipientsContext) {
    if (ctx.viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const held = await ctx.loaders.credentialById.load(input.credentialId);
    // Someone who may not even read it learns nothing about whether it exists.
    if (!held || !canReadCredential(ctx.viewer, held)) throw new NotFoundError('Credential', input.credentialId);
    if (!isWalletOwner(ctx.viewer, held.recipientId)) throw new UnauthorizedError('Only the holder changes who may read a credential');
    const credential = await ctx.db.transaction((tx) => ctx.wallet.setVisibility(tx, held.id, input.visibility));
    ctx.loaders.credentialById.clear(held.id).prime(held.id, credential);
    return { credential };
  }

  @FieldResolver(() => ImportVerdict, { nullable: true, description: 'The verdict at import; null for credentials issued on this hub.' })
  importVerdict(@Root() credential: CredentialRow): ImportVerdict | null {
    return credential.importStatus ? { status: credential.importStatus, checks: credential.importChecks ?? [] } : null;
  }
}
