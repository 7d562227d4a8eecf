import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { IssuersContext } from '../context.js';
import type { IssuedCredentialRow, IssuedCredentialStatusRow, SealedEdcRow } from '../db/tables.js';
import {
  Credential,
  CredentialIssuance,
  EuropassExport,
  ImportSealedEdcInput,
  ImportSealedEdcPayload,
  IssuanceStatus,
  SealTrust,
  type SealedEdc,
  IssueCredentialInput,
  IssueCredentialPayload,
  ReinstateCredentialInput,
  ReinstateCredentialPayload,
  RevokeCredentialInput,
  RevokeCredentialPayload,
  StatusPurpose,
  SuspendCredentialInput,
  SuspendCredentialPayload,
} from './credential.type.js';

@Resolver(() => Credential)
export class CredentialResolver {
  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => IssueCredentialPayload, { description: 'Signs and records an Open Badges 3.0 credential and delivers it to the recipient’s wallet.' })
  async issueCredential(@Arg('input', () => IssueCredentialInput) input: IssueCredentialInput, @Ctx() ctx: IssuersContext) {
    const row = await ctx.services.issuance.issueCredential(ctx.viewer, input);
    ctx.log.info({ credentialId: row.id, issuerId: row.issuerId }, 'credential issued');
    return { credential: { id: row.id }, document: row.document };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => RevokeCredentialPayload, {
    description: 'Revokes a credential for good: its bit is set in the issuer’s published status list (also for a suspension entry, which then can no longer be reinstated).',
  })
  async revokeCredential(@Arg('input', () => RevokeCredentialInput) input: RevokeCredentialInput, @Ctx() ctx: IssuersContext) {
    return payloadOf(await ctx.services.issuance.revokeCredential(ctx.viewer, input));
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => SuspendCredentialPayload, {
    description: 'Suspends a credential issued with statusPurpose SUSPENSION: its bit is set until it is reinstated. Suspending a suspended credential changes nothing.',
  })
  async suspendCredential(@Arg('input', () => SuspendCredentialInput) input: SuspendCredentialInput, @Ctx() ctx: IssuersContext) {
    return payloadOf(await ctx.services.issuance.suspendCredential(ctx.viewer, input));
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => ReinstateCredentialPayload, {
    description: 'Reinstates a suspended credential: its bit is cleared. A revoked credential is never reinstated (CONFLICT).',
  })
  async reinstateCredential(@Arg('input', () => ReinstateCredentialInput) input: ReinstateCredentialInput, @Ctx() ctx: IssuersContext) {
    return payloadOf(await ctx.services.issuance.reinstateCredential(ctx.viewer, input));
  }

  @FieldResolver(() => EuropassExport, {
    nullable: true,
    description:
      'The credential as an unsigned European Digital Credential, with what could not be filled (the issuer’s members and operators; null for ' +
      'credentials this hub did not issue). `recipientName`: the learner’s real name, which Europass needs and OB credentials rarely carry.',
  })
  async europass(
    @Root() credential: Credential,
    @Arg('recipientName', () => String, { nullable: true }) recipientName: string | null,
    @Ctx() ctx: IssuersContext,
  ): Promise<EuropassExport | null> {
    const exported = await ctx.services.europass.exportForIssuer(ctx.viewer, credential.id, recipientName ?? null);
    return exported && { ...exported, sealed: exported.sealed && toSealedEdc(exported.sealed) };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => ImportSealedEdcPayload, {
    description:
      'Attaches the European Digital Credential the institution sealed with its eIDAS seal to its credential (ISSUER role): the seal must hold ' +
      'and the EDC must be this credential’s export; it is then served at the credential’s URL with format=edc.',
  })
  async importSealedEdc(@Arg('input', () => ImportSealedEdcInput) input: ImportSealedEdcInput, @Ctx() ctx: IssuersContext) {
    const imported = await ctx.services.europass.importSealedEdc(ctx.viewer, input);
    return { credential: { id: imported.row.credentialId }, sealed: toSealedEdc(imported.row), trust: SealTrust[imported.trust as keyof typeof SealTrust], trustMessage: imported.trustMessage };
  }

  @FieldResolver(() => CredentialIssuance, { nullable: true })
  async issuance(@Root() credential: Credential, @Ctx() ctx: IssuersContext): Promise<CredentialIssuance | null> {
    const row = await ctx.loaders.issuedCredentialById.load(credential.id);
    return row ? toIssuance(row, ctx.publicBaseUrl) : null;
  }
}

function toSealedEdc(row: SealedEdcRow): SealedEdc {
  return { document: JSON.parse(row.sealed), sealedBy: row.sealedBy, signingTime: row.signingTime, importedAt: row.importedAt };
}

/** A status change's payload; the service has refreshed the row in the loader, so `issuance` shows it without another read. */
function payloadOf(row: IssuedCredentialRow) {
  return { credential: { id: row.id } };
}

function toIssuance(row: IssuedCredentialStatusRow, publicBaseUrl: string): CredentialIssuance {
  return {
    status: IssuanceStatus[row.status],
    statusPurpose: row.statusPurpose as StatusPurpose,
    issuedAt: row.issuedAt,
    validUntil: row.validUntil,
    achievementId: row.achievementId,
    achievementVersion: row.achievementVersion,
    url: `${publicBaseUrl}/credentials/${row.id}`,
    statusReason: row.statusReason,
    statusChangedAt: row.statusChangedAt,
  };
}

/** Any id is a valid reference: `issuance` is simply null for credentials this hub did not sign. */
export function resolveCredentialReference(reference: { id: string }): Credential {
  return { id: reference.id, issuance: null };
}
