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

/**
 * `/shares/{token}` for people: the holder, what they shared grouped by issuer with each verdict, and the skills
 * stacked across issuers. A refused share (withdrawn, expired, or meant for an employer) gets a page that says how
 * it can be opened: the API refuses all three alike, so nobody can probe a link for whom it was meant.
 */
export async function sharePage({ req, res, params, options }: PageRequest): Promise<void> {
  const [token] = params as [string];
  // A view of the share, counted as one (ShareViewed); the verdicts it shows are not verifications of its visitor's.
  const answer = await options.client.graphql<ShareAnswer>(req, SHARE, { token }, { pageView: true });
  const code = answer.errors?.[0]?.extensions?.code;
  if (!answer.data?.share) {
    if (code === 'UNAUTHORIZED' || code === 'UNAUTHENTICATED') {
      return sendHtml(res, 403, renderPage(options.site, 'share-refused', {}, { title: 'This share cannot be opened here', description: 'A share link that was withdrawn, has expired, or is meant for an employer.' }));
    }
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
