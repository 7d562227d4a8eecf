import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { IssuersContext } from '../context.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import { issueCredential } from '../issuance/issue-credential.js';
import { revokeCredential } from '../issuance/revoke-credential.js';
import {
  Credential,
  CredentialIssuance,
  IssuanceStatus,
  IssueCredentialInput,
  IssueCredentialPayload,
  RevokeCredentialInput,
  RevokeCredentialPayload,
} from './credential.type.js';

@Resolver(() => Credential)
export class CredentialResolver {
  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => IssueCredentialPayload, { description: 'Signs and records an Open Badges 3.0 credential and delivers it to the recipient’s wallet.' })
  async issueCredential(@Arg('input', () => IssueCredentialInput) input: IssueCredentialInput, @Ctx() ctx: IssuersContext) {
    const row = await issueCredential(ctx.issuance, ctx.viewer, input);
    ctx.log.info({ credentialId: row.id, issuerId: row.issuerId }, 'credential issued');
    ctx.loaders.issuedCredentialById.prime(row.id, row);
    return { credential: { id: row.id }, document: row.document };
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => RevokeCredentialPayload, { description: 'Revokes a credential for good: its bit is set in the issuer’s published status list.' })
  async revokeCredential(@Arg('input', () => RevokeCredentialInput) input: RevokeCredentialInput, @Ctx() ctx: IssuersContext) {
    const row = await revokeCredential(ctx.issuance, ctx.viewer, input);
    ctx.loaders.issuedCredentialById.prime(row.id, row);
    return { credential: { id: row.id } };
  }

  @FieldResolver(() => CredentialIssuance, { nullable: true })
  async issuance(@Root() credential: Credential, @Ctx() ctx: IssuersContext): Promise<CredentialIssuance | null> {
    const row = await ctx.loaders.issuedCredentialById.load(credential.id);
    return row ? toIssuance(row, ctx.publicBaseUrl) : null;
  }
}

function toIssuance(row: IssuedCredentialRow, publicBaseUrl: string): CredentialIssuance {
  return {
    status: IssuanceStatus[row.status],
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
