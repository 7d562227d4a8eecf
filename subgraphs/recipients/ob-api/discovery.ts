import { OAUTH_PATH, OB_API_PATH, OB_SCOPES } from './constants.js';

const SCOPE_TEXT: Record<string, string> = {
  [OB_SCOPES.credentialReadonly]: 'Permission to read AchievementCredentials for the authenticated entity.',
  [OB_SCOPES.credentialUpsert]: 'Permission to create or update AchievementCredentials for the authenticated entity.',
  [OB_SCOPES.profileReadonly]: 'Permission to read the profile for the authenticated entity.',
  [OB_SCOPES.profileUpdate]: 'Permission to update the profile for the authenticated entity.',
};

const failure = { description: 'Imsx_StatusInfo: the request was refused', content: { 'application/json': { schema: { $ref: '#/components/schemas/Imsx_StatusInfo' } } } };
const secured = (scope: string) => [{ OAuth2ACG: [scope] }];
const errorResponses = { '400': failure, '401': failure, '403': failure, '405': failure, '500': failure };

/**
 * The Service Description Document (`GET /ims/ob/v3p0/discovery`): the OpenAPI 3.0 document a wallet or host
 * reads first to find the server, the OAuth 2.0 endpoints (authorization, token, refresh, dynamic registration)
 * and the scopes. Built from PUBLIC_BASE_URL, so it names the addresses clients must use.
 */
export function serviceDescription(publicBaseUrl: string) {
  const oauth = `${publicBaseUrl}${OAUTH_PATH}`;
  return {
    openapi: '3.0.1',
    info: {
      title: 'Cairn Open Badges API',
      version: '3.0',
      description: 'The 1EdTech Open Badges 3.0 API of a Cairn hub: recipients’ wallets and profiles.',
      termsOfService: publicBaseUrl,
      'x-imssf-privacyPolicyUrl': publicBaseUrl,
    },
    servers: [{ url: `${publicBaseUrl}${OB_API_PATH}`, description: 'Cairn' }],
    tags: [{ name: 'OpenBadgeCredentials' }, { name: 'Profiles' }, { name: 'Discovery' }],
    paths: {
      '/credentials': {
        get: {
          tags: ['OpenBadgeCredentials'],
          operationId: 'getCredentials',
          summary: 'The credentials of the authenticated recipient, paged with limit and offset',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } },
          ],
          security: secured(OB_SCOPES.credentialReadonly),
          responses: { '200': { description: 'GetOpenBadgeCredentialsResponse, with X-Total-Count and Link headers' }, ...errorResponses },
        },
        post: {
          tags: ['OpenBadgeCredentials'],
          operationId: 'upsertCredential',
          summary: 'Add a credential (JSON, or a VC-JWT as text/plain) to the wallet, or replace an equal older one',
          security: secured(OB_SCOPES.credentialUpsert),
          responses: { '200': { description: 'An equal credential was replaced (or was already held)' }, '201': { description: 'Created' }, ...errorResponses },
        },
      },
      '/profile': {
        get: { tags: ['Profiles'], operationId: 'getProfile', security: secured(OB_SCOPES.profileReadonly), responses: { '200': { description: 'Profile' }, ...errorResponses } },
        put: { tags: ['Profiles'], operationId: 'putProfile', security: secured(OB_SCOPES.profileUpdate), responses: { '200': { description: 'Profile' }, ...errorResponses } },
      },
      '/discovery': { get: { tags: ['Discovery'], operationId: 'getServiceDescription', responses: { '200': { description: 'This document' } } } },
    },
    components: {
      securitySchemes: {
        OAuth2ACG: {
          type: 'oauth2',
          description: 'OAuth 2.0 Authorization Code Grant with PKCE (S256), dynamic client registration (RFC 7591)',
          'x-imssf-name': 'Cairn',
          'x-imssf-privacyPolicyUrl': publicBaseUrl,
          'x-imssf-termsOfServiceUrl': publicBaseUrl,
          'x-imssf-registrationUrl': `${oauth}/reg`,
          flows: {
            authorizationCode: {
              authorizationUrl: `${oauth}/auth`,
              tokenUrl: `${oauth}/token`,
              refreshUrl: `${oauth}/token`,
              scopes: SCOPE_TEXT,
            },
          },
        },
      },
      schemas: {
        Imsx_StatusInfo: {
          type: 'object',
          required: ['imsx_codeMajor', 'imsx_severity'],
          properties: { imsx_codeMajor: { type: 'string' }, imsx_severity: { type: 'string' }, imsx_description: { type: 'string' }, imsx_codeMinor: { type: 'object' } },
        },
      },
    },
  };
}
