import { formFields } from './form-fields.js';
import { formTokenHolds, postedFromThisHub } from './page-form.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';

const MAKE_PUBLIC = `mutation CredentialPagePublish($id: ID!) { setCredentialVisibility(input: { credentialId: $id, visibility: PUBLIC }) { credential { visibility } } }`;
const RECORD_LINKEDIN = `mutation CredentialPageLinkedIn($id: ID!) { recordLinkedInShare(input: { credentialId: $id }) { linkedInAddToProfileUrl } }`;

/** The path the credential page's "Make public and add to LinkedIn" form posts to. */
export const publishPath = (credentialId: string) => `/credentials/${encodeURIComponent(credentialId)}/linkedin`;

/**
 * POST `/credentials/{id}/linkedin`, the holder's one step from a private credential's page: makes it PUBLIC
 * (`setCredentialVisibility`, as the visitor: only its holder may), records the LinkedIn share like the API's
 * `recordLinkedInShare`, and sends the browser on to LinkedIn's add-to-profile form (303). Only a form this hub
 * showed this visitor is taken: posted from this hub's own page and carrying its token (see page-form.ts).
 */
export async function publishToLinkedInPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id] = params as [string];
  if (req.method !== 'POST') return sendMessagePage({ res, options }, 405, 'Not here', 'Open the credential’s page and press “Make public and add to LinkedIn”.');
  const authorization = req.headers.authorization;
  const fields = await formFields(req);
  const token = fields?.get('token') ?? '';
  if (!authorization || !postedFromThisHub(req, options.publicBaseUrl) || !formTokenHolds(options.formSecret, token, publishPath(id), authorization)) {
    return sendMessagePage({ res, options }, 403, 'This form was not taken', `It did not come from this credential's page as you last opened it, or it is too old. Open the credential's page again and press the button there.`);
  }
  const published = await options.client.graphql<{ setCredentialVisibility: { credential: { visibility: string } } }>(req, MAKE_PUBLIC, { id });
  if (published.data?.setCredentialVisibility?.credential.visibility !== 'PUBLIC') {
    return sendMessagePage({ res, options }, 403, 'Only its holder can do this', published.errors?.[0]?.message ?? 'The credential could not be made public.');
  }
  const recorded = await options.client.graphql<{ recordLinkedInShare: { linkedInAddToProfileUrl: string } }>(req, RECORD_LINKEDIN, { id });
  const linkedIn = recorded.data?.recordLinkedInShare?.linkedInAddToProfileUrl;
  if (!linkedIn) throw new Error(`recordLinkedInShare failed: ${JSON.stringify(recorded.errors)}`);
  res.writeHead(303, { location: linkedIn, 'cache-control': 'no-store' });
  res.end();
}
