/** The OB 3.0 JSON schema a credential names in `credentialSchema` (1EdTech publishes it at this URL). */
export const OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/**
 * Contexts for an OB 3.0 credential, in the order the spec requires: VC 2.0 first, OB 3.0.3 second (3.0.0 and 3.0.1
 * clash with VC 2.0 and fail to sign), then `extensions.json`, the only context that defines
 * `1EdTechJsonSchemaValidator2019`: without it a `credentialSchema` entry has an undefined type and signing fails in
 * JSON-LD safe mode ("relative @type reference").
 */
export const OB_CREDENTIAL_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
] as const;

/** The `credentialSchema` entry OB 3.0 asks for; a verifier that sees it must validate against the schema. */
export const OB_CREDENTIAL_SCHEMA_ENTRY = {
  id: OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
  type: '1EdTechJsonSchemaValidator2019',
} as const;
