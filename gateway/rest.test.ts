import { describe, expect, test } from 'vitest';
import { restTarget } from './rest.js';

describe('REST routes at the gateway', () => {
  test('the OB 3.0 API and its OAuth server go to recipients, which authenticates their callers itself', () => {
    for (const path of ['/ims/ob/v3p0/discovery', '/ims/ob/v3p0/credentials?limit=2', '/ims/ob/v3p0/oauth/token', '/ims/ob/v3p0/oauth/interaction/abc/decide']) {
      expect(restTarget(path)).toMatchObject({ subgraph: 'recipients', ownAuthorization: true });
    }
  });

  test('the other standards endpoints keep their owners and Cairn key authentication', () => {
    expect(restTarget('/credentials/verify')).toEqual({ prefix: '/credentials/verify', subgraph: 'verification' });
    expect(restTarget('/credentials/0190a5f6-0000-7000-8000-000000000001')).toEqual({ prefix: '/credentials/', subgraph: 'issuers' });
    expect(restTarget('/graphql')).toBeNull();
    expect(restTarget('/ims/ob/v3p0')).toBeNull();
  });
});
