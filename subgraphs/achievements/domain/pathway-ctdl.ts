import { isGroup, type RequirementNode } from './pathway-requirement.js';

/**
 * A published pathway in the Credential Engine's CTDL vocabulary, so registries can ingest it: a `ceterms:Pathway`
 * whose destination component is the award and whose components mirror the requirement tree. Groups become
 * `ceterms:SelectionComponent`s with a `ceterms:ComponentCondition` (how many of their children are required);
 * a SEQUENCE's children are linked by `ceterms:precedes`; achievements become `ceterms:CredentialComponent`s and
 * skills `ceterms:CompetencyComponent`s.
 */
export const CTDL_CONTEXT = 'https://credreg.net/ctdl/schema/context/json';

export interface CtdlPathwayInput {
  /** The pathway's public URL: the Pathway's `@id`, and the base of its components' ids. */
  url: string;
  name: string;
  description: string;
  issuerUrl: string;
  language: string;
  requirement: RequirementNode;
  award: { name: string; url: string };
  /** Names and OB ids of this hub's achievements the leaves name. */
  achievements: ReadonlyMap<string, { name: string; url: string }>;
}

type Node = Record<string, unknown>;

export function toCtdlPathway(input: CtdlPathwayInput): Node {
  const text = (value: string) => ({ [input.language]: value });
  const idOf = (nodeId: string) => `${input.url}#${nodeId}`;
  const awardId = idOf('award');
  const components: Node[] = [];

  const visit = (node: RequirementNode, siblings: { precedes?: string }) => {
    const base: Node = { '@id': idOf(node.id), 'ceterms:isPartOf': [input.url], ...(siblings.precedes ? { 'ceterms:precedes': [siblings.precedes] } : {}) };
    if (isGroup(node)) {
      const childIds = node.children.map((child) => idOf(child.id));
      const rule = node.kind === 'N_OF' ? `any ${node.n} of ${node.children.length}` : node.kind === 'SEQUENCE' ? 'all, in this order' : 'all';
      components.push({
        ...base,
        '@type': 'ceterms:SelectionComponent',
        'ceterms:name': text(node.label ?? `Requirement ${node.id} (${rule})`),
        'ceterms:hasChild': childIds,
        'ceterms:hasCondition': [{ '@type': 'ceterms:ComponentCondition', 'ceterms:requiredNumber': node.n, 'ceterms:targetComponent': childIds, 'ceterms:description': text(`Complete ${rule}.`) }],
      });
      node.children.forEach((child, index) => visit(child, node.kind === 'SEQUENCE' && index + 1 < node.children.length ? { precedes: childIds[index + 1] } : {}));
      return;
    }
    const minimum = node.minResult === null ? '' : ` with a result of at least ${node.minResult}`;
    if (node.kind === 'SKILL') {
      components.push({ ...base, '@type': 'ceterms:CompetencyComponent', 'ceterms:name': text(node.label ?? `${node.framework} ${node.code}`), 'ceterms:codedNotation': node.code, 'ceterms:description': text(`Any verified credential aligned to ${node.framework} ${node.code}${minimum}.`) });
      return;
    }
    const known = node.achievementId ? input.achievements.get(node.achievementId) : undefined;
    const sourceData = known?.url ?? node.achievementUrl ?? undefined;
    components.push({
      ...base,
      '@type': 'ceterms:CredentialComponent',
      'ceterms:name': text(node.label ?? known?.name ?? sourceData ?? node.id),
      ...(sourceData ? { 'ceterms:sourceData': sourceData } : {}),
      ...(minimum ? { 'ceterms:description': text(`Earned${minimum}.`) } : {}),
    });
  };
  visit(input.requirement, {});

  const pathway: Node = {
    '@id': input.url,
    '@type': 'ceterms:Pathway',
    'ceterms:name': text(input.name),
    'ceterms:description': text(input.description),
    'ceterms:ownedBy': [input.issuerUrl],
    'ceterms:subjectWebpage': input.url,
    'ceterms:hasDestinationComponent': [awardId],
    'ceterms:hasChild': [idOf(input.requirement.id)],
  };
  const destination: Node = {
    '@id': awardId,
    '@type': 'ceterms:CredentialComponent',
    'ceterms:name': text(input.award.name),
    'ceterms:sourceData': input.award.url,
    'ceterms:isDestinationComponentOf': [input.url],
    'ceterms:isPartOf': [input.url],
    'ceterms:hasCondition': [{ '@type': 'ceterms:ComponentCondition', 'ceterms:requiredNumber': 1, 'ceterms:targetComponent': [idOf(input.requirement.id)] }],
  };
  return { '@context': CTDL_CONTEXT, '@id': input.url, '@graph': [pathway, destination, ...components] };
}
