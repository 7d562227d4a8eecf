import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { CredentialVisibilityValue } from '../db/tables.js';
import { Credential, CredentialVisibility } from './credential.type.js';

@ObjectType('WalletCheck', { description: 'One verifier check as it came out when the credential was imported.' })
export class WalletCheck {
  @Field(() => String, { description: 'format, schema, subject, proof, status, validity, recipient or issuer.' }) name!: string;
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String) message!: string;
}

@ObjectType('ImportVerdict', { description: 'What the hub verifier said when the credential entered the wallet.' })
export class ImportVerdict {
  @Field(() => String, { description: 'VALID, REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID or STATUS_UNKNOWN (INVALID is never imported).' })
  status!: string;
  @Field(() => [WalletCheck]) checks!: WalletCheck[];
}

@InputType({ description: 'Exactly one of the four.' })
export class ImportCredentialInput {
  @Field(() => GraphQLJSON, { nullable: true, description: 'An OB 3.0 / VC credential or an OB 2.0 assertion, as JSON (or JSON text).' })
  credential?: unknown;
  @Field(() => String, { nullable: true, description: 'A VC-JWT (compact JWS).' }) jwt?: string | null;
  @Field(() => String, { nullable: true, description: 'A baked PNG or SVG badge, base64-encoded.' }) image?: string | null;
  @Field(() => String, { nullable: true, description: 'Where the credential (or a hosted OB 2.0 assertion) is published.' }) url?: string | null;
  @Field(() => ID, { nullable: true, description: 'Operators only: whose wallet. A recipient key imports into its own.' })
  recipientId?: string | null;
}

@ObjectType()
export class ImportCredentialPayload {
  @Field(() => Credential, { description: 'The wallet entry: new, replaced, or the one already held when `duplicate`.' })
  credential!: Credential;
  @Field(() => Boolean, { description: 'The wallet already held this credential (same issuer and id, not older): nothing was stored.' })
  duplicate!: boolean;
  @Field(() => Boolean, { description: 'It replaced an older copy (same issuer and id, earlier validFrom).' })
  replaced!: boolean;
  @Field(() => ImportVerdict) verdict!: ImportVerdict;
}

@InputType()
export class SetCredentialVisibilityInput {
  @Field(() => ID) credentialId!: string;
  @Field(() => CredentialVisibility) visibility!: CredentialVisibilityValue;
}

@ObjectType()
export class SetCredentialVisibilityPayload {
  @Field(() => Credential) credential!: Credential;
}

