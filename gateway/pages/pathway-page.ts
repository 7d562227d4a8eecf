import { sendMessagePage, type PageRequest } from './page-kit.js';
import { renderPage, sendHtml } from './render.js';

const PATHWAY = `query PathwayPage($id: ID!) { pathway(id: $id) {
  id version status name description publishedAt windowMonths
  issuer { id name }
  award { id version name uri }
  requirement { id parentId kind label n achievementUrl minResult skill { framework code }
    achievement { id version name uri } milestone { name } } } }`;

interface RequirementRow {
  id: string;
  parentId: string | null;
  kind: 'ALL_OF' | 'N_OF' | 'SEQUENCE' | 'ACHIEVEMENT' | 'SKILL';
  label: string | null;
  n: number | null;
  achievementUrl: string | null;
  minResult: number | null;
  skill: { framework: string; code: string } | null;
  achievement: { id: string; version: number; name: string; uri: string } | null;
  milestone: { name: string } | null;
}
interface PathwayNode {
  id: string;
  name: string;
  description: string;
  publishedAt: string | null;
  windowMonths: number | null;
  issuer: { id: string; name: string };
  award: { id: string; version: number; name: string; uri: string } | null;
  requirement: RequirementRow[];
}

/** One step of the tree as the template draws it: a list item opens, its children's list sits inside it, it ends. */
type TreeLine = { open: true } | { close: true } | { end: true } | { title: string; detail: string; href: string | null };

const achievementPath = (id: string, version: number) => `/achievements/${encodeURIComponent(id)}/versions/${version}`;

function lineOf(row: RequirementRow, total: number): Extract<TreeLine, { title: string }> {
  const minimum = row.minResult === null ? '' : `, with a result of at least ${row.minResult}`;
  if (row.kind === 'ACHIEVEMENT') {
    const name = row.label ?? row.achievement?.name ?? row.achievementUrl ?? 'An achievement';
    const where = row.achievement ? 'Earn this credential' : 'Earn this credential from its issuer and import it into your wallet';
    return { title: name, detail: `${where}${minimum}.`, href: row.achievement ? achievementPath(row.achievement.id, row.achievement.version) : row.achievementUrl };
  }
  if (row.kind === 'SKILL') {
    return { title: row.label ?? `${row.skill!.framework} ${row.skill!.code}`, detail: `Any verified credential aligned to this skill${minimum}.`, href: null };
  }
  const rule = row.kind === 'N_OF' ? `Any ${row.n} of these ${total}` : row.kind === 'SEQUENCE' ? 'All of these, in this order (each after the one before)' : 'All of these';
  const milestone = row.milestone ? ` Completing this part earns “${row.milestone.name}”.` : '';
  // A group without a label is named by its rule; one with a label says the rule beside it.
  return { title: row.label ?? rule, detail: `${row.label ? `${rule}.` : ''}${milestone}`.trim(), href: null };
}

/** The requirement as nested lists: a group's line, then its children between an open and a close. */
function treeLines(rows: RequirementRow[]): TreeLine[] {
  const children = (id: string) => rows.filter((row) => row.parentId === id);
  const visit = (row: RequirementRow): TreeLine[] => {
    const below = children(row.id);
    return [lineOf(row, below.length), ...(below.length > 0 ? [{ open: true as const }, ...below.flatMap(visit), { close: true as const }] : []), { end: true as const }];
  };
  const root = rows.find((row) => row.parentId === null);
  return root ? [{ open: true }, ...visit(root), { close: true }] : [];
}

/** `/pathways/{id}` for people: what the pathway awards and how to earn each part of it. */
export async function pathwayPage({ req, res, params, options }: PageRequest): Promise<void> {
  const [id] = params as [string];
  const answer = await options.client.graphql<{ pathway: PathwayNode | null }>(req, PATHWAY, { id });
  const pathway = answer.data?.pathway;
  if (!pathway || pathway.publishedAt === null) return sendMessagePage({ res, options }, 404, 'No such pathway', 'This hub has no published pathway at this address.');
  const url = `${options.publicBaseUrl}/pathways/${encodeURIComponent(id)}`;
  sendHtml(
    res,
    200,
    renderPage(
      options.site,
      'pathway',
      {
        ...pathway,
        issuerPath: `/issuers/${encodeURIComponent(pathway.issuer.id)}`,
        awardPath: pathway.award ? achievementPath(pathway.award.id, pathway.award.version) : null,
        lines: treeLines(pathway.requirement),
      },
      { title: pathway.name, description: pathway.description, url, alternate: { type: 'application/ld+json', href: url } },
    ),
  );
}
