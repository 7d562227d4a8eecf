import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';

export enum DidMethod {
  WEB = 'web',
  KEY = 'key',
}
registerEnumType(DidMethod, {
  name: 'DidMethod',
  description: 'WEB: did:web under the hub (keeps its DID across key rotations). KEY: did:key of the active key.',
});

@Directive('@key(fields: "id")')
@ObjectType('Issuer', { description: 'An organisation that awards credentials (an Open Badges 3.0 Profile).' })
export class Issuer {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The issuer’s public web site.' }) url!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'URL of the issuer’s logo.' }) image!: string | null;
  @Field(() => DidMethod) didMethod!: 'web' | 'key';
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const IssuerConnection = ConnectionType(Issuer, 'Issuer');

@InputType()
export class CreateIssuerInput {
  @Field(() => String) name!: string;
  @Field(() => String) url!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) image?: string | null;
  @Field(() => DidMethod, { nullable: true, description: 'Default WEB.' }) didMethod?: 'web' | 'key' | null;
}

@ObjectType()
export class CreateIssuerPayload {
  @Field(() => Issuer) issuer!: Issuer;
}
