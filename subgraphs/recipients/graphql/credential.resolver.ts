import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../../../lib/errors.js';
import type { RecipientsContext } from '../context.js';
import type { CredentialRow } from '../db/tables.js';
import { assertCanReadRecipient } from '../domain/access.js';
import { canReadCredential } from '../domain/wallet-access.js';
import { Achievement } from './achievement.entity.js';
import { Credential } from './credential.type.js';
import { Issuer } from './issuer.entity.js';
import { Recipient } from './recipient.type.js';

@Resolver(() => Credential)
export class CredentialResolver {
  @Query(() => Credential, {
    nullable: true,
    description:
      'A wallet credential by id: anyone when its holder made it PUBLIC; otherwise its holder, operators and the issuer that awarded it. ' +
      'Null when it does not exist or this viewer may not read it.',
  })
  async credential(@Arg('id', () => ID) id: string, @Ctx() ctx: RecipientsContext) {
    const credential = await ctx.loaders.credentialById.load(id);
    // Null rather than UNAUTHORIZED, so a refusal does not confirm that the id exists.
    return credential && canReadCredential(ctx.viewer, credential) ? credential : null;
  }

  @FieldResolver(() => Recipient, { nullable: true, description: 'Who holds the credential (operators, or the recipient themselves; null with an error for anyone else).' })
  async recipient(@Root() credential: CredentialRow, @Ctx() ctx: RecipientsContext) {
    // The credential is public but its holder's record is not: without this check, knowing one credential id
    // would reveal the holder's identities and the rest of their wallet.
    assertCanReadRecipient(ctx.viewer, credential.recipientId);
    const recipient = await ctx.loaders.recipientById.load(credential.recipientId);
    if (!recipient) throw new NotFoundError('Recipient', credential.recipientId);
    return recipient;
  }

  @FieldResolver(() => Issuer, { nullable: true, description: 'The Cairn issuer that awarded it; null for imported credentials.' })
  issuer(@Root() credential: CredentialRow): Issuer | null {
    return credential.issuerId ? { id: credential.issuerId } : null;
  }

  @FieldResolver(() => Achievement, { nullable: true, description: 'The achievement it certifies, when defined on this hub.' })
  achievement(@Root() credential: CredentialRow): Achievement | null {
    return credential.achievementId ? { id: credential.achievementId } : null;
  }
}
