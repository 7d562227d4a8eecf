import { displayableLogo } from './credential-view.js';
import { sendMessagePage, type PageRequest } from './page-kit.js';
import { renderMarkdown, renderPage, sendHtml } from './render.js';

const HOME = `query HomePage { issuers(first: 100) { totalCount edges { node { id name url description } } } }`;
const ISSUER = `query IssuerPage($id: ID!) { issuer(id: $id) { id name url description image
  achievements(first: 100) { totalCount edges { node { id version name description achievementType } } } } }`;
const ACHIEVEMENT = `query AchievementPage($id: ID!, $version: Int) { achievement(id: $id, version: $version) {
  id version status uri name description achievementType creditsAvailable estimatedLearningHours validity
  criteria { id narrative } image { id caption } tags
  alignments { targetName targetUrl targetFramework targetCode }
  skills { name url framework code }
  evidenceRules { kind minCount }
  issuer { id name url } } }`;

interface IssuerNode {
  id: string;
  name: string;
  url: string;
  description: string | null;
  image?: string | null;
}
interface AchievementNode {
  id: string;
  version: number;
  status: string;
  uri: string;
  name: string;
  description: string;
  achievementType: string | null;
  creditsAvailable: number | null;
  estimatedLearningHours: number | null;
  validity: string | null;
  criteria: { id: string | null; narrative: string | null };
  image: { id: string; caption: string | null } | null;
  tags: string[];
  alignments: { targetName: string; targetUrl: string; targetFramework: string | null; targetCode: string | null }[];
  skills: { name: string; url: string; framework: string; code: string }[];
  evidenceRules: { kind: string; minCount: number }[];
  issuer: IssuerNode;
}

const issuerPath = (id: string) => `/issuers/${encodeURIComponent(id)}`;
const achievementPath = (id: string, version: number) => `/achievements/${encodeURIComponent(id)}/versions/${version}`;
/** Only http(s) addresses become links; anything else an issuer typed stays text. */
const httpUrl = (value: string | null | undefined) => (value && /^https?:\/\//i.test(value) ? value : null);

/** `/`: what this hub is, its issuers, and where to verify a credential. */
export async function homePage({ req, res, options }: PageRequest): Promise<void> {
  const answer = await options.client.graphql<{ issuers: { totalCount: number; edges: { node: IssuerNode }[] } }>(req, HOME);
  const issuers = (answer.data?.issuers.edges ?? []).map(({ node }) => ({ ...node, path: issuerPath(node.id) }));
  const description = `${options.site.hubName} issues and checks Open Badges 3.0 credentials: every badge here can be verified by anyone, live.`;
  sendHtml(res, 200, renderPage(options.site, 'home', { issuers, total: answer.data?.issuers.totalCount ?? 0, graphiql: options.site.graphiql, description }, { title: 'Open Badges hub', description, url: `${options.publicBaseUrl}/` }));
}

/** `/issuers/{id}` for people: who the issuer is and the achievements it has published. */
export async function issuerPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id] = params as [string];
  const answer = await options.client.graphql<{ issuer: (IssuerNode & { achievements: { edges: { node: AchievementNode }[] } }) | null }>(req, ISSUER, { id });
  const issuer = answer.data?.issuer;
  if (!issuer) return sendMessagePage({ res, options }, 404, 'No such issuer', 'This hub has no issuer at this address.');
  const achievements = issuer.achievements.edges.map(({ node }) => ({ ...node, path: achievementPath(node.id, node.version) }));
  const url = `${options.publicBaseUrl}${issuerPath(id)}`;
  sendHtml(
    res,
    200,
    renderPage(options.site, 'issuer', { ...issuer, website: httpUrl(issuer.url), logo: displayableLogo(issuer.image, options.publicBaseUrl), achievements }, {
      title: issuer.name,
      description: issuer.description ?? `${issuer.name} issues Open Badges on ${options.site.hubName}.`,
      url,
      alternate: { type: 'application/ld+json', href: url },
    }),
  );
}

/** The achievement's id URL for people: what it certifies, the skills it develops and how to earn it. */
export async function achievementPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id, version] = params as [string, string];
  const answer = await options.client.graphql<{ achievement: AchievementNode | null }>(req, ACHIEVEMENT, { id, version: Number(version) });
  const achievement = answer.data?.achievement;
  if (!achievement || !/^\d{1,9}$/.test(version)) return sendMessagePage({ res, options }, 404, 'No such achievement', 'This hub has no published achievement at this address.');
  const skills = [
    ...achievement.skills.map((skill) => ({ name: skill.name, url: httpUrl(skill.url), framework: skill.framework, code: skill.code })),
    ...achievement.alignments.map((alignment) => ({ name: alignment.targetName, url: httpUrl(alignment.targetUrl), framework: alignment.targetFramework, code: alignment.targetCode })),
  ];
  sendHtml(
    res,
    200,
    renderPage(
      options.site,
      'achievement',
      {
        ...achievement,
        achievementType: achievement.achievementType?.replace(/^ext:/, '') ?? 'Achievement',
        criteriaHtml: renderMarkdown(achievement.criteria.narrative),
        criteriaUrl: httpUrl(achievement.criteria.id),
        skills,
        issuerPath: issuerPath(achievement.issuer.id),
      },
      { title: achievement.name, description: achievement.description, url: achievement.uri, alternate: { type: 'application/ld+json', href: achievement.uri } },
    ),
  );
}
