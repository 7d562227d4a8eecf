import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { IssuerRole, PrincipalKind } from '../../../lib/auth/viewer.js';
import { ConnectionType } from '../../../lib/graphql/pagination.js';

export enum Principal {
  ADMIN = 'ADMIN',
  ISSUER = 'ISSUER',
  EMPLOYER = 'EMPLOYER',
  RECIPIENT = 'RECIPIENT',
}
registerEnumType(Principal, { name: 'Principal', description: 'Who an API key acts as.' });

export enum IssuerMemberRole {
  OWNER = 'OWNER',
  ISSUER = 'ISSUER',
  VIEWER = 'VIEWER',
}
registerEnumType(IssuerMemberRole, {
  name: 'IssuerMemberRole',
  description: 'OWNER manages keys and members; ISSUER issues and revokes; VIEWER reads private data.',
});

@ObjectType('ApiKey', { description: 'An API key. The secret itself is shown once, when the key is created.' })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Principal) principal!: PrincipalKind;
  @Field(() => ID, { nullable: true }) issuerId!: string | null;
  @Field(() => IssuerMemberRole, { nullable: true }) role!: IssuerRole | null;
  @Field(() => ID, { nullable: true }) employerId!: string | null;
  @Field(() => ID, { nullable: true }) recipientId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The issuer member who holds the key.' }) memberId!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) revokedAt!: Date | null;
}

export const ApiKeyConnection = ConnectionType(ApiKey, 'ApiKey');

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: 'What the key is for, e.g. "ATS integration".' }) name!: string;
  @Field(() => Principal) principal!: PrincipalKind;
  @Field(() => ID, { nullable: true, description: 'Required for ISSUER keys.' }) issuerId?: string | null;
  @Field(() => IssuerMemberRole, { nullable: true, description: 'For ISSUER keys; default ISSUER.' }) role?: IssuerRole | null;
  @Field(() => ID, { nullable: true, description: 'For EMPLOYER keys: the employer organisation; a new one when omitted.' })
  employerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Required for RECIPIENT keys.' }) recipientId?: string | null;
  @Field(() => ID, { nullable: true, description: 'For ISSUER keys held by a member: the key takes (and keeps following) the member’s role.' })
  memberId?: string | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: 'The key itself. Store it now: Cairn keeps only a hash and cannot show it again.' })
  secret!: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RevokeApiKeyPayload {
  @Field(() => ApiKey) apiKey!: ApiKey;
}
