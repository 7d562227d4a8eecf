import type { SafeFetch } from '../net/types.js';
import { asArray, fetchJsonDocument, idOf, isHttpUrl, linkedDocument, type Json, type Ob2Evidence } from './ob2-documents.js';

/**
 * OB 2.0 hosted verification (ob_v2p0 "Hosted verification"): the assertion is whatever the issuer's host serves
 * at the assertion's id right now, so only that fetched copy is trusted. HTTP 410 or `revoked: true` there is a
 * revocation; and the id must lie in the issuer's scope, or any host could publish assertions in its name.
 */

/** Verifies the assertion hosted at `url` (the given assertion's id, or a URL the caller was handed). */
export async function verifyHostedAssertion(given: Json | null, url: string, fetch: SafeFetch): Promise<Ob2Evidence> {
  const unchecked = (why: string): Ob2Evidence['status'] => ({ passed: false, message: `status not checked: ${why}` });
  if (!isHttpUrl(url)) {
    return {
      assertion: given,
      badge: null,
      issuer: null,
      proof: { passed: false, message: `a hosted assertion's id must be the http(s) URL it is served at, got ${url}` },
      status: unchecked('the assertion has no URL to ask'),
    };
  }
  const hosted = await fetchJsonDocument(fetch, url, 'hosted assertion');
  if (!hosted.ok && hosted.gone) {
    return {
      assertion: given,
      badge: null,
      issuer: null,
      proof: { passed: true, message: `the issuer's host answered for ${url} (hosted verification)` },
      status: { passed: false, verdict: 'REVOKED', message: `revoked: the issuer's host answers 410 Gone for ${url}` },
    };
  }
  if (!hosted.ok) {
    return { assertion: given, badge: null, issuer: null, proof: { passed: false, message: hosted.reason }, status: unchecked('the hosted assertion could not be read') };
  }
  const assertion = hosted.document;
  if (typeof assertion.id !== 'string') {
    return {
      assertion: given,
      badge: null,
      issuer: null,
      proof: { passed: false, message: `the hosted assertion at ${url} has no id, so it cannot be the assertion given` },
      status: unchecked('the hosted assertion could not be identified'),
    };
  }
  if (assertion.revoked === true) {
    const reason = typeof assertion.revocationReason === 'string' ? `: ${assertion.revocationReason}` : '';
    return {
      // A revoked assertion is often replaced by a bare notice (id, revoked, reason): keep the richer given copy.
      assertion: given ?? assertion,
      badge: null,
      issuer: null,
      proof: { passed: true, message: `the issuer's host answered for ${url} (hosted verification)` },
      status: { passed: false, verdict: 'REVOKED', message: `revoked by the issuer at ${url}${reason}` },
    };
  }
  const status = { passed: true, message: `the issuer's host serves the assertion at ${url} and has not revoked it` };

  const badge = await linkedDocument(fetch, assertion.badge, 'BadgeClass');
  if (!badge.ok) return { assertion, badge: null, issuer: null, proof: { passed: false, message: badge.reason }, status };
  const issuer = await linkedDocument(fetch, badge.document.issuer, 'issuer Profile');
  if (!issuer.ok) return { assertion, badge: badge.document, issuer: null, proof: { passed: false, message: issuer.reason }, status };

  const issuerId = idOf(badge.document.issuer) ?? idOf(issuer.document);
  const scopeProblem = hostedScopeProblem(url, issuerId, issuer.document);
  return {
    assertion,
    badge: badge.document,
    issuer: issuer.document,
    proof: scopeProblem
      ? { passed: false, message: scopeProblem }
      : { passed: true, message: `hosted at ${url}, within the verification scope of the issuer ${issuerId}` },
    status,
  };
}

/**
 * Whether the assertion URL is one the issuer speaks for: its Profile's `verification` may list `startsWith` URL
 * prefixes and `allowedOrigins` host names; without either, only the issuer id's own host is allowed.
 */
function hostedScopeProblem(assertionUrl: string, issuerId: string | null, issuer: Json): string | null {
  const policy = typeof issuer.verification === 'object' && issuer.verification !== null ? (issuer.verification as Json) : {};
  const prefixes = asArray(policy.startsWith).filter((value): value is string => typeof value === 'string');
  const allowedHosts = asArray(policy.allowedOrigins).filter((value): value is string => typeof value === 'string').map((host) => host.toLowerCase());
  const host = new URL(assertionUrl).hostname.toLowerCase();

  if (prefixes.length > 0 && !prefixes.some((prefix) => assertionUrl.startsWith(prefix))) {
    return `the assertion URL ${assertionUrl} does not start with any of the issuer's allowed prefixes (${prefixes.join(', ')})`;
  }
  if (allowedHosts.length > 0) {
    return allowedHosts.includes(host) ? null : `the assertion host ${host} is not among the issuer's allowedOrigins (${allowedHosts.join(', ')})`;
  }
  if (prefixes.length > 0) return null;
  const issuerHost = isHttpUrl(issuerId) ? new URL(issuerId).hostname.toLowerCase() : null;
  if (issuerHost === host) return null;
  return `the assertion is hosted on ${host}, but its issuer ${issuerId ?? '(unknown)'} is ${issuerHost ?? 'not an http(s) URL'}, and the issuer allows no other origin`;
}
