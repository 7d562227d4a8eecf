import { credentialView, type IssuanceStatus, type Verification } from './credential-view.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';
import { renderPage, sendHtml } from './render.js';

const VERIFY = `mutation CredentialPageVerify($input: VerifyCredentialInput!) {
  verifyCredential(input: $input) { status verified checkedAt checks { name outcome message } }
}`;
const HOLDER_LINKS = `query CredentialPageHolder($id: ID!) { credential(id: $id) { linkedInAddToProfileUrl visibility } }`;

/**
 * `/credentials/{id}` for people: the signed document as the JSON route serves it to this visitor (so the same rules
 * decide who may read it), checked live by `verifyCredential` (the verifier the API uses), with the reason the issuer
 * gave for a revocation or suspension, and "Add to LinkedIn" for the holder.
 */
export async function credentialPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id] = params as [string];
  const path = `/credentials/${encodeURIComponent(id)}`;
  const found = await options.client.restJson(req, 'issuers', path);
  if (found.status === 404) return sendMessagePage({ res, options }, 404, 'No such credential', 'This hub has no credential at this address. Check the link you were given.');
  if (found.status === 401 || found.status === 403) {
    return sendMessagePage({ res, options }, found.status, 'This credential is private', 'Its holder has not made it public. Ask them for a share link.');
  }
  if (found.status !== 200 || typeof found.body !== 'object' || found.body === null) throw new Error(`credential document answered ${found.status}`);
  const document = found.body as Record<string, unknown>;

  const [verified, status, holder] = await Promise.all([
    options.client.graphql<{ verifyCredential: Verification }>(req, VERIFY, { input: { credential: document } }),
    options.client.restJson(req, 'issuers', `${path}/status`),
    options.client.graphql<{ credential: { linkedInAddToProfileUrl: string | null; visibility: string } | null }>(req, HOLDER_LINKS, { id }),
  ]);
  if (!verified.data?.verifyCredential) throw new Error(`verifyCredential failed: ${JSON.stringify(verified.errors)}`);
  const view = credentialView({
    id,
    origin: options.publicBaseUrl,
    document,
    verification: verified.data.verifyCredential,
    issuance: status.status === 200 ? (status.body as IssuanceStatus) : null,
    linkedInUrl: holder.data?.credential?.linkedInAddToProfileUrl ?? null,
    // Only the holder gets the add-to-profile link, so only the holder is told who else can open the page.
    holderVisibility: holder.data?.credential?.linkedInAddToProfileUrl ? holder.data.credential.visibility : null,
  });
  const html = renderPage(options.site, 'credential', view, {
    title: `${view.name} · ${view.verdict.status.replace(/_/g, ' ')}`,
    description: `${view.name}, issued by ${view.issuer.name}. ${view.verdict.headline}`,
    url: view.url,
    image: `${view.url}/badge.png`,
    alternate: { type: 'application/vc+ld+json', href: view.downloads.json },
  });
  sendHtml(res, 200, html);
}
