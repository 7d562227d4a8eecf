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

@ObjectType('Address', { description: 'A postal address (OB 3.0 Address).' })
export class Address {
  @Field(() => String, { nullable: true }) streetAddress?: string;
  @Field(() => String, { nullable: true }) addressLocality?: string;
  @Field(() => String, { nullable: true }) addressRegion?: string;
  @Field(() => String, { nullable: true }) postalCode?: string;
  @Field(() => String, { nullable: true }) postOfficeBoxNumber?: string;
  @Field(() => String, { nullable: true }) addressCountry?: string;
  @Field(() => String, { nullable: true }) addressCountryCode?: string;
}

@InputType()
export class AddressInput {
  @Field(() => String, { nullable: true }) streetAddress?: string | null;
  @Field(() => String, { nullable: true }) addressLocality?: string | null;
  @Field(() => String, { nullable: true }) addressRegion?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) postOfficeBoxNumber?: string | null;
  @Field(() => String, { nullable: true }) addressCountry?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. DE.' }) addressCountryCode?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Issuer', { description: 'An organisation that awards credentials (an Open Badges 3.0 Profile).' })
export class Issuer {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The issuer’s public web site.' }) url!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'URL of the issuer’s logo.' }) image!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => Address, { nullable: true }) address!: Address | null;
  @Field(() => String, { nullable: true, description: 'The name of an authorised official of the organisation.' }) official!: string | null;
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
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => String, { nullable: true, description: 'The name of an authorised official of the organisation.' }) official?: string | null;
  @Field(() => ID, { nullable: true, description: 'The parent organisation, an issuer on this hub.' }) parentIssuerId?: string | null;
  @Field(() => DidMethod, { nullable: true, description: 'Default WEB.' }) didMethod?: 'web' | 'key' | null;
}

@ObjectType()
export class CreateIssuerPayload {
  @Field(() => Issuer) issuer!: Issuer;
}
