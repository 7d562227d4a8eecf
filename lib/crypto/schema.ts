import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { readBundledJson } from './bundled-files.js';
import { OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL } from './ob-constants.js';

/** 1EdTech's OB 3.0 AchievementCredential schema (draft 2019-09), bundled as published (origin and digest in lib/crypto/SOURCES.md). */
const ACHIEVEMENT_CREDENTIAL_SCHEMA_FILE = 'schemas/ob_v3p0_achievementcredential_schema.json';

/** One schema violation: where (a JSON Pointer into the credential, e.g. `/credentialSubject/achievement`) and what. */
export interface SchemaError {
  path: string;
  message: string;
}

/** The outcome of a schema check: `valid`, and every violation when not. */
export interface SchemaValidationResult {
  valid: boolean;
  errors: SchemaError[];
}

let validateCompiled: ValidateFunction | undefined;

/** Compiled once per process: compiling the 63 KB schema takes far longer than validating with it. */
function achievementCredentialValidator(): ValidateFunction {
  if (!validateCompiled) {
    // The generated schema's `@context` is a 2-tuple `items` with `minItems: 2` plus `additionalItems`, which Ajv's
    // strictTuples check warns about on the console (it wants minItems = tuple length AND no open tail). Harmless.
    const ajv = new Ajv2019({ allErrors: true, strictTuples: false });
    addFormats.default(ajv);
    // Registered under the URL credentials cite: the file's own `$id` is the generator's staging name.
    ajv.addSchema(readBundledJson(ACHIEVEMENT_CREDENTIAL_SCHEMA_FILE) as object, OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL);
    const validate = ajv.getSchema(OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL);
    if (!validate) throw new Error(`could not compile ${ACHIEVEMENT_CREDENTIAL_SCHEMA_FILE}`);
    validateCompiled = validate;
  }
  return validateCompiled;
}

/**
 * Validates plain JSON against the official OB 3.0 AchievementCredential schema, which also enforces the plain-JSON
 * serialisation rules: arrays for `type`, `proof`, `credentialSchema` and every other multi-valued property,
 * `Image.type` as the string "Image", DateTimeZ dates. JSON-LD-compacted credentials (single values) fail it.
 * Never throws for bad input: the answer is data.
 */
export function validateAchievementCredential(json: unknown): SchemaValidationResult {
  const validate = achievementCredentialValidator();
  if (validate(json)) return { valid: true, errors: [] };
  return { valid: false, errors: toSchemaErrors(validate.errors ?? []) };
}

/** Ajv errors as path + message, pointing `required` errors at the missing property itself, without duplicates. */
function toSchemaErrors(ajvErrors: ErrorObject[]): SchemaError[] {
  const seen = new Set<string>();
  const errors: SchemaError[] = [];
  for (const error of ajvErrors) {
    const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
    const path = missing === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(missing)}`;
    const message = missing === undefined ? (error.message ?? error.keyword) : 'is required';
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path, message });
  }
  return errors;
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
