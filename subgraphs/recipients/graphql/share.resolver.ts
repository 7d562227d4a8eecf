import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RecipientsContext } from '../context.js';
import type { ShareRow } from '../db/share-tables.js';
import { assertCanReadRecipient } from '../domain/access.js';
import { shareUrl } from '../domain/share-token.js';
import type { OpenedView } from '../services/sharing.js';
import { CandidateView } from './candidate.type.js';
import { Recipient } from './recipient.type.js';
import {
  CandidateAccess,
  Consent,
  CreateShareInput,
  CreateSharePayload,
  GrantConsentInput,
  GrantConsentPayload,
  RevokeConsentInput,
  RevokeConsentPayload,
  RevokeShareInput,
  RevokeSharePayload,
  Share,
} from './share.type.js';

const withUrl = (share: ShareRow, url: string | null = null) => ({ ...share, url });

function toCandidateView(opened: OpenedView, url: string | null): CandidateView {
  return {
    id: opened.share?.id ?? opened.consent!.id,
    recipientId: opened.recipientId,
    access: opened.share ? CandidateAccess.SHARE : CandidateAccess.CONSENT,
    share: opened.share && withUrl(opened.share, url),
    consentScope: opened.consent?.scope ?? null,
    rows: opened.credentials,
  };
}

@Resolver(() => Share)
export class ShareResolver {
  @Mutation(() => CreateSharePayload, {
    description:
      'Shares some of your credentials (or a portfolio as it is now) by link: PUBLIC for anyone with it, EMPLOYER for one organisation’s keys. ' +
      'A shared credential is visible through the share whatever its visibility. The token is shown once.',
  })
  async createShare(@Arg('input', () => CreateShareInput) input: CreateShareInput, @Ctx() ctx: RecipientsContext) {
    const { share, token, credentialIds } = await ctx.sharing.createShare(ctx.viewer, input);
    ctx.log.info({ shareId: share.id, recipientId: share.recipientId, audience: share.audience, credentials: credentialIds.length }, 'share created');
    return { share: withUrl(share, shareUrl(ctx.publicBaseUrl, token)), token };
  }

  @Mutation(() => RevokeSharePayload, { description: 'Stops a share link at once: opening it is then UNAUTHORIZED. Revoking twice changes nothing.' })
  async revokeShare(@Arg('input', () => RevokeShareInput) input: RevokeShareInput, @Ctx() ctx: RecipientsContext) {
    return { share: withUrl(await ctx.sharing.revokeShare(ctx.viewer, input.id)) };
  }

  @Query(() => CandidateView, {
    description:
      'What a share link shows: no key for PUBLIC shares, the named employer’s key for EMPLOYER shares. Unknown or another employer’s: UNAUTHORIZED, alike. Withdrawn or expired: UNAUTHORIZED with `extensions.reason` WITHDRAWN or EXPIRED (and `expiredAt`). Openings are counted (ShareViewed events, appended every few seconds).',
  })
  async share(@Arg('token', () => String) token: string, @Ctx() ctx: RecipientsContext) {
    const opened = await ctx.sharing.openShare(ctx.viewer, token, 'GRAPHQL', ctx.clientAddress);
    return toCandidateView(opened, shareUrl(ctx.publicBaseUrl, token));
  }

  @Query(() => CandidateView, {
    description: 'A candidate, for an employer key whose organisation holds the candidate’s unrevoked consent; otherwise UNAUTHORIZED and nothing else.',
  })
  async candidate(@Arg('recipientId', () => ID) recipientId: string, @Ctx() ctx: RecipientsContext) {
    return toCandidateView(await ctx.sharing.openCandidate(ctx.viewer, recipientId), null);
  }

  @Mutation(() => GrantConsentPayload, { description: 'Lets an employer organisation query you (`candidate`) until you revoke it; granting again replaces the scope.' })
  async grantConsent(@Arg('input', () => GrantConsentInput) input: GrantConsentInput, @Ctx() ctx: RecipientsContext) {
    return { consent: await ctx.sharing.grantConsent(ctx.viewer, input) };
  }

  @Mutation(() => RevokeConsentPayload, { description: 'Ends an employer’s consent at once.' })
  async revokeConsent(@Arg('input', () => RevokeConsentInput) input: RevokeConsentInput, @Ctx() ctx: RecipientsContext) {
    return { revoked: await ctx.sharing.revokeConsent(ctx.viewer, input) };
  }
}

@Resolver(() => Recipient)
export class RecipientSharingResolver {
  @FieldResolver(() => [Share], { description: 'Your shares, newest first, revoked and expired ones included (the recipient and operators).' })
  async shares(@Root() recipient: Recipient, @Ctx() ctx: RecipientsContext) {
    assertCanReadRecipient(ctx.viewer, recipient.id);
    return (await ctx.loaders.sharesByRecipientId.load(recipient.id)).map((share) => withUrl(share));
  }

  @FieldResolver(() => [Consent], { description: 'The employers that may query you now (the recipient and operators).' })
  async consents(@Root() recipient: Recipient, @Ctx() ctx: RecipientsContext) {
    assertCanReadRecipient(ctx.viewer, recipient.id);
    return ctx.loaders.consentsByRecipientId.load(recipient.id);
  }
}
