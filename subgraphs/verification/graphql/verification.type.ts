import { GraphQLDateTime, GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Issuer } from './issuer.entity.js';

export enum VerificationStatus {
  VALID = 'VALID',
  INVALID = 'INVALID',
  REVOKED = 'REVOKED',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  STATUS_UNKNOWN = 'STATUS_UNKNOWN',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'The verdict. Only VALID is verified; STATUS_UNKNOWN means the status list could not be read or trusted.',
});

export enum VerificationCheckName {
  FORMAT = 'FORMAT',
  SCHEMA = 'SCHEMA',
  SUBJECT = 'SUBJECT',
  PROOF = 'PROOF',
  STATUS = 'STATUS',
  VALIDITY = 'VALIDITY',
  RECIPIENT = 'RECIPIENT',
  ISSUER = 'ISSUER',
}
registerEnumType(VerificationCheckName, { name: 'VerificationCheckName', description: 'The checks, in the order OB 3.0 runs them.' });

export enum CredentialFormat {
  VC_2_0 = 'VC_2_0',
  VC_1_1 = 'VC_1_1',
  VC_JWT = 'VC_JWT',
  OB_2_0_HOSTED = 'OB_2_0_HOSTED',
  OB_2_0_SIGNED = 'OB_2_0_SIGNED',
  EDC_JADES = 'EDC_JADES',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(CredentialFormat, {
  name: 'CredentialFormat',
  description: 'How the credential was expressed, after opening images and URLs.',
  valuesConfig: { EDC_JADES: { description: 'A European Digital Credential (Europass) under a JAdES e-seal.' } },
});

export enum VerificationCheckOutcome {
  PASSED = 'PASSED',
  FAILED = 'FAILED',
  WARNING = 'WARNING',
  SKIPPED = 'SKIPPED',
}
registerEnumType(VerificationCheckOutcome, {
  name: 'VerificationCheckOutcome',
  description: 'Only FAILED weighs on the verdict; WARNING is worth a relying party’s attention (an unknown issuer, a subject that names no recipient); SKIPPED did not apply.',
});

@ObjectType({ description: 'One check and its outcome; a failed check names its cause.' })
export class VerificationCheck {
  @Field(() => VerificationCheckName) name!: VerificationCheckName;
  @Field(() => VerificationCheckOutcome) outcome!: VerificationCheckOutcome;
  @Field(() => Boolean, { deprecationReason: 'Use outcome: passed is outcome != FAILED (a WARNING or SKIPPED check counts as passed).' }) passed!: boolean;
  @Field(() => String) message!: string;
}

@ObjectType({ description: 'What the credential claims, whatever its format.' })
export class VerifiedCredentialSummary {
  @Field(() => String, { nullable: true }) id!: string | null;
  @Field(() => CredentialFormat) format!: CredentialFormat;
  @Field(() => [String]) types!: string[];
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) issuerId!: string | null;
  @Field(() => String, { nullable: true }) issuerName!: string | null;
  @Field(() => String, { nullable: true }) achievementId!: string | null;
  @Field(() => String, { nullable: true }) achievementName!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true }) validFrom!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true }) validUntil!: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The credential as JSON (decoded from a JWT or image when needed).' })
  document!: Record<string, unknown> | null;
}

@ObjectType({ description: 'Who signed it, and whether this hub or its operator vouches for them.' })
export class IssuerTrust {
  @Field(() => String, { description: 'The issuer id the credential names (a DID or URL).' }) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Boolean, { description: 'An issuer of this hub, or on a trust list the operator configured.' }) known!: boolean;
  @Field(() => String, { nullable: true, description: '`cairn`, `configured`, a registry name, or null.' }) source!: string | null;
  @Field(() => Issuer, { nullable: true, description: 'The issuer on this hub, when it is one of ours.' }) hubIssuer!: Issuer | null;
}

@ObjectType({ description: 'A verdict with its reasons.' })
export class VerificationResult {
  @Field(() => Boolean) verified!: boolean;
  @Field(() => VerificationStatus) status!: VerificationStatus;
  @Field(() => [VerificationCheck]) checks!: VerificationCheck[];
  @Field(() => VerifiedCredentialSummary, { nullable: true }) credential!: VerifiedCredentialSummary | null;
  @Field(() => IssuerTrust, { nullable: true }) issuer!: IssuerTrust | null;
  @Field(() => GraphQLDateTime) checkedAt!: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'From when the verdict may change on its own (a status list TTL, validUntil).' })
  recheckAfter!: string | null;
}

@ObjectType({ description: 'verifyCredential’s answer: the verdict, recorded as a CredentialVerified event.' })
export class VerifyCredentialPayload extends VerificationResult {
  @Field(() => ID, { nullable: true, description: 'The recorded verification; null for a check one of the hub’s own credential pages made, which is a page view and not recorded.' })
  verificationId!: string | null;
}

@InputType({ description: 'Exactly one of credential, jwt, image or url.' })
export class VerifyCredentialInput {
  @Field(() => GraphQLJSON, { nullable: true, description: 'The credential as JSON (an object, or JSON text).' }) credential?: unknown;
  @Field(() => String, { nullable: true, description: 'A VC-JWT (compact JWS) or a signed OB 2.0 assertion.' }) jwt?: string | null;
  @Field(() => String, { nullable: true, description: 'A baked PNG or SVG badge, base64-encoded.' }) image?: string | null;
  @Field(() => String, { nullable: true, description: 'Where the credential (or OB 2.0 hosted assertion) is published.' }) url?: string | null;
  @Field(() => String, { nullable: true, description: 'Also check the credential was issued to this e-mail address.' }) recipientEmail?: string | null;
}
