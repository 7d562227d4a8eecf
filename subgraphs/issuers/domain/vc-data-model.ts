/**
 * The VC Data Model 2.0 rules an issuer MUST enforce before it signs a caller-built credential (VC-API
 * `POST /credentials/issue`), each refused with a message naming the rule. JSON-LD safe mode catches undefined terms
 * and malformed values while signing; these are the rules it does not see. Pure: the digests of related resources
 * come from the caller (`knownDigests`), so nothing here reads a file or the network.
 */

const VC_2_0_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const VC_1_1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
const TYPED_PROPERTIES = ['credentialStatus', 'credentialSchema', 'evidence', 'termsOfUse', 'refreshService'] as const;
const LANGUAGE_VALUE_KEYS = new Set(['@value', '@language', '@direction']);

type Json = Record<string, unknown>;
type Algorithm = 'sha256' | 'sha384' | 'sha512';

export interface DataModelRuleOptions {
  /** The digests (hex) a resource may have, or null when the hub cannot read it offline. */
  knownDigests: (url: string, algorithm: Algorithm) => string[] | null;
  /** Decodes a multibase value to bytes, or null when its base is not supported. */
  decodeMultibase: (value: string) => Uint8Array | null;
}

/** What the credential breaks, as a sentence naming the rule, or null when it keeps every rule checked here. */
export function dataModelProblem(credential: Json, options: DataModelRuleOptions): string | null {
  return (
    contextProblem(credential) ??
    issuerProblem(credential.issuer) ??
    typedPropertiesProblem(credential) ??
    validityProblem(credential) ??
    languageProblem(credential, '') ??
    (isObject(credential.issuer) ? languageProblem(credential.issuer, 'issuer.') : null) ??
    relatedResourceProblem(credential.relatedResource, options)
  );
}

function contextProblem(credential: Json): string | null {
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [credential['@context']];
  if (contexts[0] !== VC_2_0_CONTEXT && contexts[0] !== VC_1_1_CONTEXT) {
    return `@context must start with ${VC_2_0_CONTEXT} (VCDM 2.0 §4.3 Contexts)`;
  }
  return null;
}

/** VCDM 2.0 §4.7: the issuer is a URL, or an object whose `id` is one. (Whether it is this key's issuer is the route's.) */
function issuerProblem(issuer: unknown): string | null {
  if (issuer === undefined) return null;
  if (typeof issuer === 'string') return isUrl(issuer) ? null : `issuer must be a URL, got ${describe(issuer)} (VCDM 2.0 §4.7 Issuer)`;
  if (!isObject(issuer)) return `issuer must be a URL or an object with an id, got ${describe(issuer)} (VCDM 2.0 §4.7 Issuer)`;
  if (typeof issuer.id !== 'string' || !isUrl(issuer.id)) return `issuer.id must be a URL, got ${describe(issuer.id)} (VCDM 2.0 §4.7 Issuer)`;
  return null;
}

function typedPropertiesProblem(credential: Json): string | null {
  for (const property of TYPED_PROPERTIES) {
    const untyped = asArray(credential[property]).find((entry) => !isObject(entry) || entry.type === undefined);
    if (untyped !== undefined) return `every ${property} entry must have a type (VCDM 2.0: ${property} "MUST specify a type")`;
  }
  const unnamed = asArray(credential.credentialSchema).find((entry) => isObject(entry) && (typeof entry.id !== 'string' || !isUrl(entry.id)));
  if (unnamed !== undefined) return 'every credentialSchema entry must have an id that is a URL (VCDM 2.0 §4.11 Data Schemas)';
  return null;
}

function validityProblem(credential: Json): string | null {
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : Number.NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : Number.NaN;
  if (!Number.isNaN(from) && !Number.isNaN(until) && from > until) return 'validFrom must not be after validUntil (VCDM 2.0 §4.9 Validity Period)';
  return null;
}

/** VCDM 2.0 §4.6 / §11.1: `name` and `description` are strings or language value objects (one or a list). */
function languageProblem(holder: Json, prefix: string): string | null {
  for (const property of ['name', 'description']) {
    const value = holder[property];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    const bad = values.find((entry) => typeof entry !== 'string' && !isLanguageValue(entry));
    if (bad !== undefined || values.length === 0) {
      return `${prefix}${property} must be a string or language value objects ({ "@value", "@language", "@direction" }), got ${describe(bad ?? value)} (VCDM 2.0 §11.1)`;
    }
  }
  return null;
}

function isLanguageValue(value: unknown): boolean {
  return isObject(value) && typeof value['@value'] === 'string' && Object.keys(value).every((key) => LANGUAGE_VALUE_KEYS.has(key));
}

/**
 * VCDM 2.0 §5.3: `relatedResource` is one or more objects, each with a unique `id` and a `digestSRI` or
 * `digestMultibase` that matches the resource. A digest the hub cannot check offline is refused rather than signed.
 */
function relatedResourceProblem(value: unknown, options: DataModelRuleOptions): string | null {
  if (value === undefined) return null;
  const rule = '(VCDM 2.0 §5.3 Integrity of Related Resources)';
  const resources = asArray(value);
  if (resources.length === 0 || resources.some((resource) => !isObject(resource))) return `relatedResource must be one or more objects ${rule}`;
  const seen = new Set<string>();
  for (const resource of resources as Json[]) {
    if (typeof resource.id !== 'string' || !isUrl(resource.id)) return `every relatedResource needs an id that is a URL ${rule}`;
    if (seen.has(resource.id)) return `relatedResource ids must be unique: ${resource.id} appears twice ${rule}`;
    seen.add(resource.id);
    if (resource.digestSRI === undefined && resource.digestMultibase === undefined) return `relatedResource ${resource.id} needs a digestSRI or a digestMultibase ${rule}`;
    const problem = digestProblem(resource, options);
    if (problem) return `${problem} ${rule}`;
  }
  return null;
}

function digestProblem(resource: Json, options: DataModelRuleOptions): string | null {
  const id = resource.id as string;
  if (resource.digestSRI !== undefined) {
    const match = typeof resource.digestSRI === 'string' ? /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(resource.digestSRI.trim()) : null;
    if (!match) return `relatedResource ${id}: digestSRI must be "sha256-…", "sha384-…" or "sha512-…" (Subresource Integrity)`;
    const problem = compare(id, match[1] as Algorithm, Buffer.from(match[2]!, 'base64').toString('hex'), options);
    if (problem) return problem;
  }
  if (resource.digestMultibase !== undefined) {
    const bytes = typeof resource.digestMultibase === 'string' ? options.decodeMultibase(resource.digestMultibase) : null;
    if (!bytes) return `relatedResource ${id}: digestMultibase must be a multibase value (base58btc "z…" or base64url "u…")`;
    const algorithm: Algorithm | null = bytes.length === 32 ? 'sha256' : bytes.length === 48 ? 'sha384' : bytes.length === 64 ? 'sha512' : null;
    if (!algorithm) return `relatedResource ${id}: digestMultibase is not a SHA-256, SHA-384 or SHA-512 digest`;
    const problem = compare(id, algorithm, Buffer.from(bytes).toString('hex'), options);
    if (problem) return problem;
  }
  return null;
}

function compare(id: string, algorithm: Algorithm, hex: string, options: DataModelRuleOptions): string | null {
  const known = options.knownDigests(id, algorithm);
  if (!known) return `relatedResource ${id} cannot be read offline (only the hub's bundled contexts can), so its digest cannot be checked`;
  return known.includes(hex.toLowerCase()) ? null : `relatedResource ${id}: the ${algorithm} digest does not match the resource`;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUrl(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
