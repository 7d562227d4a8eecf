/** Where the 1EdTech Open Badges 3.0 API lives (spec: `{baseUrl}/ims/ob/v3p0`). */
export const OB_API_PATH = '/ims/ob/v3p0';
/** The OAuth 2.0 authorization server that guards it (issuer = public base URL + this path). */
export const OAUTH_PATH = `${OB_API_PATH}/oauth`;

const SCOPE_BASE = 'https://purl.imsglobal.org/spec/ob/v3p0/scope';
/** The spec's four scopes: each endpoint requires one. */
export const OB_SCOPES = {
  credentialReadonly: `${SCOPE_BASE}/credential.readonly`,
  credentialUpsert: `${SCOPE_BASE}/credential.upsert`,
  profileReadonly: `${SCOPE_BASE}/profile.readonly`,
  profileUpdate: `${SCOPE_BASE}/profile.update`,
} as const;
export type ObScope = (typeof OB_SCOPES)[keyof typeof OB_SCOPES];
export const ALL_OB_SCOPES: readonly ObScope[] = Object.values(OB_SCOPES);

/** What the consent page says each scope lets the client do. */
export const SCOPE_DESCRIPTIONS: Record<ObScope, string> = {
  [OB_SCOPES.credentialReadonly]: 'read the credentials in your wallet',
  [OB_SCOPES.credentialUpsert]: 'add credentials to your wallet',
  [OB_SCOPES.profileReadonly]: 'read your profile (name and e-mail address)',
  [OB_SCOPES.profileUpdate]: 'change your profile name',
};
