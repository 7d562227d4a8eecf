import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { IssuerRole } from '../../../lib/auth/viewer.js';
import { IssuerMemberRole } from './api-key.type.js';

@ObjectType('IssuerMember', { description: 'A person who acts for an issuer; their API keys carry their role.' })
export class IssuerMember {
  @Field(() => ID) id!: string;
  @Field(() => ID) issuerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => IssuerMemberRole) role!: IssuerRole;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@InputType()
export class AddMemberInput {
  @Field(() => ID) issuerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => IssuerMemberRole) role!: IssuerRole;
}

@InputType()
export class UpdateMemberInput {
  @Field(() => ID) id!: string;
  @Field(() => IssuerMemberRole) role!: IssuerRole;
}

@InputType()
export class RemoveMemberInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class MemberPayload {
  @Field(() => IssuerMember) member!: IssuerMember;
}
