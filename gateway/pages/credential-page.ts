import { credentialView, type IssuanceStatus, type Verification } from './credential-view.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';
import { formToken } from './page-form.js';
import { publishPath } from './publish-to-linkedin.js';
import { pageCsp, renderPage, sendHtml } from './render.js';

const CHECKS = 'status verified checkedAt checks { name outcome message }';
/** The wallet's credential as this visitor may read it, with the verifier's cached verdict on it. */
const HELD = `query CredentialPageHeld($id: ID!) { credential(id: $id) { linkedInAddToProfileUrl visibility holderName verification { ${CHECKS} } } }`;
const VERIFY = `mutation CredentialPageVerify($input: VerifyCredentialInput!) { verifyCredential(input: $input) { ${CHECKS} } }`;

interface HeldCredential {
  linkedInAddToProfileUrl: string | null;
  visibility: string;
  /** Null unless the holder made it PUBLIC. */
  holderName: string | null;
  verification: Verification | null;
}

/**
 * `/credentials/{id}` for people: the signed document as the JSON route serves it to this visitor (so the same rules
 * decide who may read it), the verifier's verdict on it (`Credential.verification`: cached, re-checked when it may
 * have changed), with the reason the issuer gave for a revocation or suspension, and "Add to LinkedIn" for the
 * holder. A page view is not a verification: nothing the page asks the verifier is recorded as one.
 */
export async function credentialPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id] = params as [string];
  const path = `/credentials/${encodeURIComponent(id)}`;
  const [found, status, held] = await Promise.all([
    options.client.restJson(req, 'issuers', path),
    options.client.restJson(req, 'issuers', `${path}/status`),
    options.client.graphql<{ credential: HeldCredential | null }>(req, HELD, { id }, { pageView: true }),
  ]);
  if (found.status === 404) return sendMessagePage({ res, options }, 404, 'No such credential', 'This hub has no credential at this address. Check the link you were given.');
  if (found.status === 401 || found.status === 403) {
    return sendMessagePage({ res, options }, found.status, 'This credential is private', 'Its holder has not made it public. Ask them for a share link.');
  }
  if (found.status !== 200 || typeof found.body !== 'object' || found.body === null) throw new Error(`credential document answered ${found.status}`);
  const document = found.body as Record<string, unknown>;
  const holder = held.data?.credential ?? null;
  // The wallet entry is out of this visitor's reach (an issuer looking before delivery, or a credential issued before
  // hosted copies followed the wallet): the verifier checks the document the visitor was served, still uncounted.
  const verification = holder?.verification ?? (await verifyServed(req, options, document));

  const view = credentialView({
    id,
    origin: options.publicBaseUrl,
    document,
    verification,
    issuance: status.status === 200 ? (status.body as IssuanceStatus) : null,
    linkedInUrl: holder?.linkedInAddToProfileUrl ?? null,
    // Only the holder gets the add-to-profile link, so only the holder is told who else can open the page.
    holderVisibility: holder?.linkedInAddToProfileUrl ? holder.visibility : null,
    holderName: holder?.holderName ?? null,
    publishForm: holder?.linkedInAddToProfileUrl && holder.visibility !== 'PUBLIC' && req.headers.authorization
      ? { action: publishPath(id), token: formToken(options.formSecret, publishPath(id), req.headers.authorization) }
      : null,
  });
  const html = renderPage(options.site, 'credential', view, {
    title: `${view.name} · ${view.verdict.status.replace(/_/g, ' ')}`,
    description: `${view.name}, issued by ${view.issuer.name}. ${view.verdict.headline}`,
    url: view.url,
    image: `${view.url}/badge.png`,
    alternate: { type: 'application/vc+ld+json', href: view.downloads.json },
  });
  // The holder's one step from a private credential posts here, and its answer sends the browser on to LinkedIn.
  sendHtml(res, 200, html, view.publishForm && view.linkedInUrl ? { 'content-security-policy': pageCsp([new URL(view.linkedInUrl).origin]) } : {});
}

async function verifyServed(req: PageRequest['req'], options: PageRequest['options'], document: Record<string, unknown>): Promise<Verification> {
  const verified = await options.client.graphql<{ verifyCredential: Verification }>(req, VERIFY, { input: { credential: document } }, { pageView: true });
  if (!verified.data?.verifyCredential) throw new Error(`verifyCredential failed: ${JSON.stringify(verified.errors)}`);
  return verified.data.verifyCredential;
}
