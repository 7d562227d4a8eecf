import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { IdentityType } from '../../../lib/identity.js';
import { Recipient } from './recipient.type.js';

export enum AccessTokenKind {
  SESSION = 'SESSION',
  PERSONAL_TOKEN = 'PERSONAL_TOKEN',
}
registerEnumType(AccessTokenKind, {
  name: 'AccessTokenKind',
  description: 'SESSION: made by signIn, expires after 12 hours. PERSONAL_TOKEN: made by createPersonalToken for scripts.',
});

@ObjectType('AccessToken', { description: 'A recipient’s session or personal token. The secret itself is shown once, when made.' })
export class AccessToken {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => AccessTokenKind) kind!: AccessTokenKind;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
}

@InputType()
export class RequestCodeInput {
  @Field(() => String) email!: string;
}

@InputType()
export class EmailCodeInput {
  @Field(() => String) email!: string;
  @Field(() => String, { description: 'The 6-digit code from the mail.' }) code!: string;
}

@ObjectType({ description: 'The same answer whether or not the address is known.' })
export class RequestCodePayload {
  @Field(() => GraphQLDateTime, { description: 'When the code stops working (10 minutes; 5 tries).' }) expiresAt!: Date;
}

@ObjectType()
export class SignInPayload {
  @Field(() => String, { description: 'Send as Authorization: Bearer <token>. Shown once; expires with the session.' }) token!: string;
  @Field(() => AccessToken) session!: AccessToken;
  @Field(() => Recipient) recipient!: Recipient;
}

@ObjectType()
export class SignOutPayload {
  @Field(() => Boolean, { description: 'False when this request did not come with a session or personal token.' }) revoked!: boolean;
}

@InputType()
export class CreatePersonalTokenInput {
  @Field(() => String) name!: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'At most 366 days ahead; that is also the default.' })
  expiresAt?: Date | null;
}

@ObjectType()
export class CreatePersonalTokenPayload {
  @Field(() => AccessToken) token!: AccessToken;
  @Field(() => String, { description: 'The token itself. Store it now: Cairn keeps only a hash and cannot show it again.' }) secret!: string;
}

@InputType()
export class RevokeAccessTokenInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RevokeAccessTokenPayload {
  @Field(() => AccessToken) token!: AccessToken;
}

@InputType()
export class AddIdentityInput {
  @Field(() => ID, { nullable: true, description: 'Operators name the recipient; a recipient adds to themselves.' }) recipientId?: string | null;
  @Field(() => IdentityType) type!: IdentityType;
  @Field(() => String) value!: string;
}

@ObjectType()
export class RecipientMerge {
  @Field(() => ID) survivorId!: string;
  @Field(() => ID, { description: 'No longer exists: everything it held now belongs to the survivor.' }) mergedRecipientId!: string;
  @Field(() => Int) movedIdentities!: number;
  @Field(() => [ID]) movedCredentialIds!: string[];
  @Field(() => [ID], { description: 'Older copies of credentials both records held, dropped for the newer copy (same issuer and credential id).' })
  replacedCredentialIds!: string[];
}

@ObjectType()
export class RecipientIdentityPayload {
  @Field(() => Recipient) recipient!: Recipient;
  @Field(() => RecipientMerge, { nullable: true, description: 'Set when the proven address belonged to another record, now merged in.' })
  merge!: RecipientMerge | null;
}

@InputType()
export class MergeRecipientsInput {
  @Field(() => ID, { nullable: true, description: 'The survivor: operators name it; a recipient is always the survivor.' }) recipientId?: string | null;
  @Field(() => ID, { description: 'The record folded into the survivor.' }) otherRecipientId!: string;
  @Field(() => String, { nullable: true, description: 'A recipient’s proof: the code sent to one of the other record’s addresses.' })
  emailProofCode?: string | null;
}

@ObjectType()
export class MergeRecipientsPayload {
  @Field(() => Recipient) recipient!: Recipient;
  @Field(() => RecipientMerge) merge!: RecipientMerge;
}
