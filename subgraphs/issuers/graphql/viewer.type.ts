import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Issuer } from './issuer.type.js';
import { IssuerMemberRole } from './api-key.type.js';
import { Recipient } from './recipient.entity.js';

export enum ViewerKind {
  ANONYMOUS = 'ANONYMOUS',
  ADMIN = 'ADMIN',
  ISSUER = 'ISSUER',
  EMPLOYER = 'EMPLOYER',
  RECIPIENT = 'RECIPIENT',
}
registerEnumType(ViewerKind, { name: 'ViewerKind' });

@ObjectType('Viewer', { description: 'Who the current API key acts as.' })
export class Viewer {
  @Field(() => ViewerKind) kind!: ViewerKind;
  @Field(() => ID, { nullable: true }) apiKeyId!: string | null;
  @Field(() => Issuer, { nullable: true }) issuer!: Issuer | null;
  @Field(() => IssuerMemberRole, { nullable: true }) role!: IssuerMemberRole | null;
  @Field(() => ID, { nullable: true }) employerId!: string | null;
  @Field(() => ID, { nullable: true }) recipientId!: string | null;
  @Field(() => Recipient, { nullable: true, description: 'A signed-in recipient’s own record: identities, wallet, access tokens.' })
  recipient!: Recipient | null;
}
