import { formatDate } from './credential-view.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';
import { renderPage, sendHtml } from './render.js';

const SHARE = `query SharePage($token: String!) { share(token: $token) {
  displayName share { audience expiresAt }
  credentials(first: 100) { totalCount edges { node { id name achievementName issuerName issuerUri source verification { status } } } }
  stackedSkills { id name framework code url credentials { id achievementName name issuerName issuerUri } } } }`;

interface SharedCredential {
  id: string;
  name: string;
  achievementName: string | null;
  issuerName: string | null;
  issuerUri: string | null;
  source: string;
  verification: { status: string };
}
interface ShareAnswer {
  share: {
    displayName: string | null;
    share: { audience: string; expiresAt: string } | null;
    credentials: { totalCount: number; edges: { node: SharedCredential }[] };
    stackedSkills: { id: string; name: string; framework: string; code: string; url: string | null; credentials: Omit<SharedCredential, 'source' | 'verification'>[] }[];
  };
}

const issuerOf = (credential: { issuerName: string | null; issuerUri: string | null }) => credential.issuerName ?? credential.issuerUri ?? 'Unknown issuer';
const titleOf = (credential: { achievementName: string | null; name: string }) => credential.achievementName ?? credential.name;

const REFUSAL_TITLES: Record<string, string> = {
  WITHDRAWN: 'This share was withdrawn',
  EXPIRED: 'This share has expired',
};

/**
 * A share that does not open: withdrawn or expired, as the API's `extensions.reason` says (it tells anyone holding
 * the token); otherwise one page for an unknown link and an employer's share, which the API does not tell apart.
 */
function sendRefusal(res: PageRequest['res'], options: PageRequest['options'], extensions: { reason?: string; expiredAt?: string }): void {
  const reason = extensions.reason && REFUSAL_TITLES[extensions.reason] ? extensions.reason : null;
  const title = reason ? REFUSAL_TITLES[reason]! : 'This share cannot be opened here';
  const data = { reason, expiredOn: formatDate(extensions.expiredAt) };
  sendHtml(res, 403, renderPage(options.site, 'share-refused', data, { title, description: reason ? `${title}.` : 'A share link meant for an employer, or not one of this hub.' }));
}

/**
 * `/shares/{token}` for people: the holder, what they shared grouped by issuer with each verdict, and the skills
 * stacked across issuers. A refused share gets a page that says it was withdrawn or expired, or, for one meant for
 * an employer (or no share at all, which the API does not tell apart from it), how an employer opens it.
 */
export async function sharePage({ req, res, params, options }: PageRequest): Promise<void> {
  const [token] = params as [string];
  // A view of the share, counted as one (ShareViewed); the verdicts it shows are not verifications of its visitor's.
  const answer = await options.client.graphql<ShareAnswer>(req, SHARE, { token }, { pageView: true });
  const code = answer.errors?.[0]?.extensions?.code;
  if (!answer.data?.share) {
    if (code === 'UNAUTHORIZED' || code === 'UNAUTHENTICATED') return sendRefusal(res, options, answer.errors?.[0]?.extensions ?? {});
    return sendMessagePage({ res, options }, 404, 'No such share', 'This hub has no share at this address.');
  }
  const { share } = answer.data;
  const byIssuer = new Map<string, { issuer: string; credentials: (SharedCredential & { title: string; path: string | null })[] }>();
  for (const { node } of share.credentials.edges) {
    const issuer = issuerOf(node);
    const group = byIssuer.get(issuer) ?? { issuer, credentials: [] };
    // Credentials this hub issued have their own page; an imported one is shown by its verdict here.
    group.credentials.push({ ...node, title: titleOf(node), path: node.source === 'ISSUED' ? `/credentials/${encodeURIComponent(node.id)}` : null });
    byIssuer.set(issuer, group);
  }
  const skills = share.stackedSkills.map((skill) => ({
    ...skill,
    url: skill.url && /^https?:\/\//i.test(skill.url) ? skill.url : null,
    backedBy: skill.credentials.map((credential) => `${titleOf(credential)} (${issuerOf(credential)})`),
    issuerCount: new Set(skill.credentials.map(issuerOf)).size,
  }));
  const holder = share.displayName ?? 'A credential holder';
  const url = `${options.publicBaseUrl}/shares/${encodeURIComponent(token)}`;
  sendHtml(
    res,
    200,
    renderPage(
      options.site,
      'share',
      { holder, groups: [...byIssuer.values()], skills, total: share.credentials.totalCount, presentation: `/shares/${encodeURIComponent(token)}/presentation`, expiresAt: share.share?.expiresAt ?? null },
      { title: `${holder}: shared credentials`, description: `${share.credentials.totalCount} verifiable credentials shared by ${holder}.`, url },
    ),
  );
}
