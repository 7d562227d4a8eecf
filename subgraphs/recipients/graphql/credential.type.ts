import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';
import type { CredentialFormatValue, CredentialSourceValue, CredentialVisibilityValue } from '../db/tables.js';

export enum CredentialSource {
  ISSUED = 'ISSUED',
  IMPORTED = 'IMPORTED',
}
registerEnumType(CredentialSource, {
  name: 'CredentialSource',
  description: 'ISSUED: awarded by an issuer on this hub. IMPORTED: brought in by the recipient from elsewhere.',
});

export enum CredentialVisibility {
  PRIVATE = 'PRIVATE',
  SHARED_ONLY = 'SHARED_ONLY',
  PUBLIC = 'PUBLIC',
}
registerEnumType(CredentialVisibility, {
  name: 'CredentialVisibility',
  description: 'Who may read a wallet credential. Every credential starts PRIVATE; only its holder changes that.',
  valuesConfig: {
    PRIVATE: { description: 'The holder and operators only (and the members of the Cairn issuer that awarded it).' },
    SHARED_ONLY: { description: 'As PRIVATE, plus whoever the holder shares it with.' },
    PUBLIC: { description: 'Anyone who knows its id, without a key.' },
  },
});

/** Recipients holds the credential as it sits in a wallet; other subgraphs contribute their own fields. */
@Directive('@key(fields: "id")')
@ObjectType('Credential', { description: 'An Open Badges 3.0 credential held in a recipient’s wallet.' })
export class Credential {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLDateTime) issuedAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) validUntil!: Date | null;
  @Field(() => GraphQLJSONObject, {
    description: 'The credential as issued: the signed JSON-LD unaltered, the decoded VC of a VC-JWT, or the original OB 2.0 assertion.',
  })
  document!: Record<string, unknown>;
  @Field(() => CredentialSource) source!: CredentialSourceValue;
  @Field(() => CredentialVisibility) visibility!: CredentialVisibilityValue;
  @Field(() => String, { description: 'The form it was handed over in: VC_2_0, VC_1_1, VC_JWT, OB_2_0_HOSTED, OB_2_0_SIGNED or EDC_JADES (a sealed European Digital Credential).' })
  format!: CredentialFormatValue;
  @Field(() => String, {
    nullable: true,
    description: 'The compact JWS exactly as received, for VC-JWT and signed OB 2.0 credentials (`document` is then its decoded JSON).',
  })
  encoded!: string | null;
  @Directive('@inaccessible')
  @Field(() => String, { nullable: true, description: 'For the verification subgraph: the digest its copy of this credential must match.' })
  documentDigest!: string | null;
  @Field(() => String, { nullable: true, description: 'The issuer’s id as the credential states it (a DID or URL).' }) issuerUri!: string | null;
  @Field(() => String, { nullable: true, description: 'The credential’s own id (with issuerUri, what makes two copies the same credential).' })
  credentialUri!: string | null;
  @Field(() => String, { nullable: true }) issuerName!: string | null;
  @Field(() => String, { nullable: true, description: 'The achievement’s id as the credential states it.' }) achievementUri!: string | null;
  @Field(() => String, { nullable: true }) achievementName!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'validFrom (OB 2.0: issuedOn).' }) validFrom!: Date | null;
}

export const CredentialConnection = ConnectionType(Credential, 'Credential');
