import { Readable } from 'node:stream';
import { formatDate, verdictBanner, verificationPanel, type Verification } from './credential-view.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';
import { renderPage, sendHtml } from './render.js';

const VERIFY = `mutation VerifyPage($input: VerifyCredentialInput!) {
  verifyCredential(input: $input) {
    status verified checkedAt checks { name outcome message }
    credential { id format name issuerId issuerName achievementName validFrom validUntil }
    issuer { id name known source hubIssuer { id } }
  }
}`;

interface VerifyAnswer extends Verification {
  credential: { id: string | null; format: string; name: string | null; issuerId: string | null; issuerName: string | null; achievementName: string | null; validFrom: string | null; validUntil: string | null } | null;
  issuer: { id: string; name: string | null; known: boolean; source: string | null; hubIssuer: { id: string } | null } | null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/**
 * What the visitor handed over, as `verifyCredential`'s input: a PNG, or SVG markup, is a baked badge; JSON is the
 * credential; an http(s) address is where it is published; anything else is taken for a VC-JWT.
 */
export function verifyInputOf(file: Buffer | null, pasted: string): Record<string, string> | null {
  if (file && file.length > 0) {
    if (file.subarray(0, 4).equals(PNG_SIGNATURE)) return { image: file.toString('base64') };
    const text = file.toString('utf8').trim();
    if (text.startsWith('<')) return { image: file.toString('base64') };
    return inputOfText(text);
  }
  return inputOfText(pasted.trim());
}

function inputOfText(text: string): Record<string, string> | null {
  if (text === '') return null;
  if (text.startsWith('{')) return { credential: text };
  if (/^https?:\/\//i.test(text)) return { url: text };
  return { jwt: text };
}

/** Plain words for what a failed check leaves open, when the failure is "could not tell" rather than "is wrong". */
function unconfirmed(answer: VerifyAnswer): string[] {
  const lines: string[] = [];
  if (answer.status === 'STATUS_UNKNOWN') {
    lines.push('Whether the issuer revoked it: its status list could not be read, so a revocation cannot be ruled out.');
  }
  if (answer.issuer && !answer.issuer.known) {
    lines.push(
      `Who the issuer is: ${answer.issuer.id} is neither an issuer of this hub nor on a trust list this hub follows. The signature proves who signed it, not that the signer is the organisation it names.`,
    );
  }
  return lines;
}

/** `/verify`: the drop-in verifier, a plain HTML form (no script), answered with the same verdict and checks as the API. */
export async function verifyPage({ req, res, options }: PageRequest): Promise<void> {
  const meta = { title: 'Verify a credential', description: 'Check an Open Badges credential: a baked badge, its JSON, VC-JWT or URL.', url: `${options.publicBaseUrl}/verify` };
  if (req.method === 'GET' || req.method === 'HEAD') return sendHtml(res, 200, renderPage(options.site, 'verify', { result: null, error: null, pasted: '' }, meta));
  if (req.method !== 'POST') return sendMessagePage({ res, options }, 405, 'Not here', 'Open this page in a browser to verify a credential.');

  let form: FormData;
  try {
    form = await new Request('http://hub/verify', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type'] ?? '') },
      body: Readable.toWeb(req) as ReadableStream,
      duplex: 'half',
    } as RequestInit).formData();
  } catch {
    return sendMessagePage({ res, options }, 400, 'Nothing to check', 'The form could not be read. Choose a file or paste a credential, then press Verify.');
  }
  const pasted = typeof form.get('text') === 'string' ? (form.get('text') as string) : '';
  const upload = form.get('file');
  const file = upload instanceof Blob && upload.size > 0 ? Buffer.from(await upload.arrayBuffer()) : null;
  const input = verifyInputOf(file, pasted);
  const again = (status: number, error: string) => sendHtml(res, status, renderPage(options.site, 'verify', { result: null, error, pasted }, meta));
  if (!input) return again(400, 'Choose a file or paste a credential, then press Verify.');

  const answer = await options.client.graphql<{ verifyCredential: VerifyAnswer }>(req, VERIFY, { input });
  if (!answer.data?.verifyCredential) return again(400, answer.errors?.[0]?.message ?? 'The credential could not be checked.');
  const verified = answer.data.verifyCredential;
  const summary = verified.credential;
  // This hub's credentials are `urn:uuid:<id>`, served at /credentials/<id>: link there when one of ours issued it.
  const ownId = verified.issuer?.hubIssuer && summary?.id?.startsWith('urn:uuid:') ? `/credentials/${encodeURIComponent(summary.id.slice('urn:uuid:'.length))}` : null;
  const result = {
    verdict:
      verified.status === 'VALID' && verified.issuer && !verified.issuer.known
        ? { ...verdictBanner('VALID'), headline: 'Genuine and unaltered since it was signed, and in force; the issuer is not one this hub knows (see below).' }
        : verdictBanner(verified.status),
    verification: verificationPanel(verified),
    name: summary?.achievementName ?? summary?.name ?? 'Credential',
    issuerName: verified.issuer?.name ?? summary?.issuerName ?? 'unknown',
    issuerId: verified.issuer?.id ?? summary?.issuerId ?? 'unknown',
    issuerKnown: verified.issuer?.known ?? false,
    format: summary?.format ?? 'unknown',
    validFrom: formatDate(summary?.validFrom) ?? 'not stated',
    validUntil: formatDate(summary?.validUntil) ?? 'does not expire',
    pageUrl: ownId,
    unconfirmed: unconfirmed(verified),
  };
  sendHtml(res, 200, renderPage(options.site, 'verify', { result, error: null, pasted }, { ...meta, title: `${result.name} · ${verified.status}` }));
}
