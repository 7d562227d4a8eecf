import { expect, test } from 'vitest';
import { linkedInAddToProfileUrl } from './linkedin.js';

test('the LinkedIn link carries name, organisation, issue and expiry month and year, URL and id', () => {
  const url = new URL(
    linkedInAddToProfileUrl({
      name: 'SQL & Data',
      organizationName: 'Northwind Academy',
      issuedAt: new Date('2026-01-31T23:30:00Z'),
      validUntil: new Date('2028-12-01T00:00:00Z'),
      certUrl: 'https://hub.example/credentials/1',
      certId: 'urn:uuid:1',
    }),
  );
  expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    startTask: 'CERTIFICATION_NAME',
    name: 'SQL & Data',
    organizationName: 'Northwind Academy',
    issueYear: '2026',
    issueMonth: '1',
    expirationYear: '2028',
    expirationMonth: '12',
    certUrl: 'https://hub.example/credentials/1',
    certId: 'urn:uuid:1',
  });
});

test('a credential that never expires has no expiry in the link', () => {
  const url = new URL(linkedInAddToProfileUrl({ name: 'X', organizationName: null, issuedAt: new Date(), validUntil: null, certUrl: null, certId: null }));
  expect([...url.searchParams.keys()]).toEqual(['startTask', 'name', 'issueYear', 'issueMonth']);
});
