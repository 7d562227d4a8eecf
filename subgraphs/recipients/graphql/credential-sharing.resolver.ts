import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RecipientsContext } from '../context.js';
import type { WalletCredentialSummary } from '../db/tables.js';
import { skillsOfAlignments } from '../domain/credential-skills.js';
import { linkedInAddToProfileUrl } from '../domain/linkedin.js';
import { canActForRecipient } from '../domain/access.js';
import { holderNameIsPublic } from '../domain/wallet-access.js';
import { Credential } from './credential.type.js';
import { CredentialSkill, RecordLinkedInShareInput, RecordLinkedInSharePayload } from './share.type.js';

/** Where anyone can see the credential: this hub serves what its issuers issued; an imported one's own URL when it has one. */
function publicUrlOf(credential: WalletCredentialSummary, publicBaseUrl: string): string | null {
  if (credential.source === 'ISSUED') return `${publicBaseUrl.replace(/\/+$/, '')}/credentials/${credential.id}`;
  return credential.credentialUri && /^https?:\/\//.test(credential.credentialUri) ? credential.credentialUri : null;
}

function linkedInUrlOf(credential: WalletCredentialSummary, publicBaseUrl: string): string {
  return linkedInAddToProfileUrl({
    name: credential.achievementName ?? credential.name,
    organizationName: credential.issuerName,
    issuedAt: credential.validFrom ?? credential.issuedAt,
    validUntil: credential.validUntil,
    certUrl: publicUrlOf(credential, publicBaseUrl),
    certId: credential.credentialUri ?? credential.id,
  });
}

/** The whole row of a credential that came in a view without its document (a share, a candidate). */
async function wholeRow(credential: WalletCredentialSummary, ctx: RecipientsContext) {
  const row = await ctx.loaders.credentialById.load(credential.id);
  if (!row) throw new Error(`wallet credential ${credential.id} vanished while its view was read`);
  return row;
}

@Resolver(() => Credential)
export class CredentialSharingResolver {
  @FieldResolver()
  async document(@Root() credential: WalletCredentialSummary, @Ctx() ctx: RecipientsContext): Promise<Record<string, unknown>> {
    return credential.document ?? (await wholeRow(credential, ctx)).document;
  }

  @FieldResolver()
  async encoded(@Root() credential: WalletCredentialSummary, @Ctx() ctx: RecipientsContext): Promise<string | null> {
    return credential.encoded !== undefined ? credential.encoded : (await wholeRow(credential, ctx)).encoded;
  }

  @FieldResolver(() => [CredentialSkill], { description: 'The skills the signed document aligns to (what its issuer vouched for).' })
  skills(@Root() credential: WalletCredentialSummary): CredentialSkill[] {
    return skillsOfAlignments(credential.skillAlignments);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The holder’s name (the name they gave, their OB Profile’s) once they made this credential PUBLIC: what its public page shows as the recipient. ' +
      'Null while it is not public, and when they gave no name.',
  })
  async holderName(@Root() credential: WalletCredentialSummary, @Ctx() ctx: RecipientsContext): Promise<string | null> {
    if (!holderNameIsPublic(credential)) return null;
    return (await ctx.loaders.recipientById.load(credential.recipientId))?.name ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'LinkedIn’s “Add to profile” link with this credential filled in; only for its holder (null for anyone else).',
  })
  linkedInAddToProfileUrl(@Root() credential: WalletCredentialSummary, @Ctx() ctx: RecipientsContext): string | null {
    return canActForRecipient(ctx.viewer, credential.recipientId) ? linkedInUrlOf(credential, ctx.publicBaseUrl) : null;
  }

  @Mutation(() => RecordLinkedInSharePayload, { description: 'Records that you added one of your credentials to LinkedIn (a CredentialShared event).' })
  async recordLinkedInShare(@Arg('input', () => RecordLinkedInShareInput) input: RecordLinkedInShareInput, @Ctx() ctx: RecipientsContext) {
    const held = await ctx.loaders.credentialById.load(input.credentialId);
    const credential = await ctx.sharing.recordLinkedInShare(ctx.viewer, held, input.credentialId);
    return { credential, linkedInAddToProfileUrl: linkedInUrlOf(credential, ctx.publicBaseUrl) };
  }
}
