import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Issuer } from './issuer.type.js';

export enum SigningKeyStatus {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(SigningKeyStatus, {
  name: 'SigningKeyStatus',
  description: 'ACTIVE signs new credentials; RETIRED only keeps verifying the credentials it signed.',
});

@ObjectType('SigningKey', { description: 'An Ed25519 signing key (public half only: private keys never leave the hub).' })
export class SigningKey {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The public key as a Multikey (z6Mk…).' }) publicKeyMultibase!: string;
  @Field(() => String, { description: 'The verification method id that proofs name.' }) verificationMethod!: string;
  @Field(() => SigningKeyStatus) status!: SigningKeyStatus;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) retiredAt!: Date | null;
}

@InputType()
export class RotateSigningKeyInput {
  @Field(() => ID) issuerId!: string;
}

@ObjectType()
export class RotateSigningKeyPayload {
  @Field(() => Issuer) issuer!: Issuer;
  @Field(() => SigningKey, { description: 'The new active key.' }) signingKey!: SigningKey;
}
