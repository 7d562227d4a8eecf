import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { IssuersContext } from '../context.js';
import type { IssuerRow, SigningKeyRow } from '../db/tables.js';
import { verificationMethodId } from '../domain/did.js';
import { Issuer } from './issuer.type.js';
import { RotateSigningKeyInput, RotateSigningKeyPayload, SigningKey, SigningKeyStatus } from './signing-key.type.js';

function toSigningKey(row: SigningKeyRow, did: string): SigningKey {
  return {
    id: row.id,
    publicKeyMultibase: row.publicKeyMultibase,
    verificationMethod: verificationMethodId(did, row.publicKeyMultibase),
    status: SigningKeyStatus[row.status],
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

@Resolver(() => Issuer)
export class SigningKeyResolver {
  @FieldResolver(() => String, { description: 'The issuer’s DID: the `issuer.id` of its credentials and the controller of its keys.' })
  async did(@Root() issuer: IssuerRow, @Ctx() ctx: IssuersContext): Promise<string> {
    const keys = await ctx.loaders.signingKeysByIssuerId.load(issuer.id);
    return ctx.services.keys.didOf(issuer, keys.find((key) => key.status === 'ACTIVE') ?? null);
  }

  @FieldResolver(() => [SigningKey], { description: 'Every key the issuer has signed with, oldest first.' })
  async signingKeys(@Root() issuer: IssuerRow, @Ctx() ctx: IssuersContext): Promise<SigningKey[]> {
    const keys = await ctx.loaders.signingKeysByIssuerId.load(issuer.id);
    const did = ctx.services.keys.didOf(issuer, keys.find((key) => key.status === 'ACTIVE') ?? null);
    // A did:key issuer's DID is per key: each key is named under its own DID.
    return keys.map((key) => toSigningKey(key, issuer.didMethod === 'key' ? ctx.services.keys.didOf(issuer, key) : did));
  }

  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => RotateSigningKeyPayload, {
    description: 'Makes a new active signing key. The old one is retired but stays published, so earlier credentials still verify.',
  })
  async rotateSigningKey(@Arg('input', () => RotateSigningKeyInput) input: RotateSigningKeyInput, @Ctx() ctx: IssuersContext) {
    const { issuer, key } = await ctx.services.keys.rotateSigningKey(ctx.viewer, input.issuerId);
    ctx.log.info({ issuerId: issuer.id, keyId: key.id }, 'signing key rotated');
    return { issuer, signingKey: toSigningKey(key, ctx.services.keys.didOf(issuer, key)) };
  }
}
