import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RecipientsContext } from '../context.js';
import type { CredentialRow } from '../db/tables.js';
import { skillsOfDocument } from '../domain/credential-skills.js';
import { linkedInAddToProfileUrl } from '../domain/linkedin.js';
import { canActForRecipient } from '../domain/access.js';
import { Credential } from './credential.type.js';
import { CredentialSkill, RecordLinkedInShareInput, RecordLinkedInSharePayload } from './share.type.js';

/** Where anyone can see the credential: this hub serves what its issuers issued; an imported one's own URL when it has one. */
function publicUrlOf(credential: CredentialRow, publicBaseUrl: string): string | null {
  if (credential.source === 'ISSUED') return `${publicBaseUrl.replace(/\/+$/, '')}/credentials/${credential.id}`;
  return credential.credentialUri && /^https?:\/\//.test(credential.credentialUri) ? credential.credentialUri : null;
}

function linkedInUrlOf(credential: CredentialRow, publicBaseUrl: string): string {
  return linkedInAddToProfileUrl({
    name: credential.achievementName ?? credential.name,
    organizationName: credential.issuerName,
    issuedAt: credential.validFrom ?? credential.issuedAt,
    validUntil: credential.validUntil,
    certUrl: publicUrlOf(credential, publicBaseUrl),
    certId: credential.credentialUri ?? credential.id,
  });
}

@Resolver(() => Credential)
export class CredentialSharingResolver {
  @FieldResolver(() => [CredentialSkill], { description: 'The skills the signed document aligns to (what its issuer vouched for).' })
  skills(@Root() credential: CredentialRow): CredentialSkill[] {
    return skillsOfDocument(credential.document);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'LinkedIn’s “Add to profile” link with this credential filled in; only for its holder (null for anyone else).',
  })
  linkedInAddToProfileUrl(@Root() credential: CredentialRow, @Ctx() ctx: RecipientsContext): string | null {
    return canActForRecipient(ctx.viewer, credential.recipientId) ? linkedInUrlOf(credential, ctx.publicBaseUrl) : null;
  }

  @Mutation(() => RecordLinkedInSharePayload, { description: 'Records that you added one of your credentials to LinkedIn (a CredentialShared event).' })
  async recordLinkedInShare(@Arg('input', () => RecordLinkedInShareInput) input: RecordLinkedInShareInput, @Ctx() ctx: RecipientsContext) {
    const held = await ctx.loaders.credentialById.load(input.credentialId);
    const credential = await ctx.sharing.recordLinkedInShare(ctx.viewer, held, input.credentialId);
    return { credential, linkedInAddToProfileUrl: linkedInUrlOf(credential, ctx.publicBaseUrl) };
  }
}
