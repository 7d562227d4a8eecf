import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';
import type { CredentialSourceValue } from '../db/tables.js';

export enum CredentialSource {
  ISSUED = 'ISSUED',
  IMPORTED = 'IMPORTED',
}
registerEnumType(CredentialSource, {
  name: 'CredentialSource',
  description: 'ISSUED: awarded by an issuer on this hub. IMPORTED: brought in by the recipient from elsewhere.',
});

/** Recipients holds the credential as it sits in a wallet; other subgraphs contribute their own fields. */
@Directive('@key(fields: "id")')
@ObjectType('Credential', { description: 'An Open Badges 3.0 credential held in a recipient’s wallet.' })
export class Credential {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLDateTime) issuedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) validUntil!: Date | null;
  @Field(() => GraphQLJSONObject, { description: 'The signed OB 3.0 credential (JSON-LD), unaltered.' })
  document!: Record<string, unknown>;
  @Field(() => CredentialSource) source!: CredentialSourceValue;
}

export const CredentialConnection = ConnectionType(Credential, 'Credential');
