import type { AchievementDefinition } from '../../../lib/ob/achievement.js';
import type { AchievementVersionRow, DefinitionChildren, DefinitionRows } from './tables.js';
import { resolveCompetencyBased, type DraftDefinition } from '../domain/achievement-definition.js';

/** How a definition is stored and read back: mapping only, no queries (those are in store.ts). */
export function definitionToRows(definition: DraftDefinition): DefinitionRows {
  return {
    columns: {
      name: definition.name,
      description: definition.description,
      criteriaNarrative: definition.criteria.narrative,
      criteriaUrl: definition.criteria.url,
      imageUrl: definition.image?.url ?? null,
      imageCaption: definition.image?.caption ?? null,
      achievementType: definition.achievementType,
      tags: definition.tags,
      language: definition.language,
      creditsAvailable: definition.creditsAvailable,
      estimatedLearningHours: definition.estimatedLearningHours,
      validity: definition.validity,
      evidenceRules: definition.evidenceRules,
      competencyBased: definition.competencyBased,
      euProfile: definition.euProfile,
    },
    alignments: definition.alignments.map((alignment, position) => ({ position, ...alignment })),
    resultDescriptions: definition.resultDescriptions.map(({ id, ...result }, position) => ({ position, resultId: id, ...result })),
    skills: definition.skills.map((skill) => ({ ...skill })),
  };
}

const byPosition = <T extends { position: number }>(rows: readonly T[]) => [...rows].sort((a, b) => a.position - b.position);

export function definitionFromRows(row: AchievementVersionRow, children: DefinitionChildren): DraftDefinition {
  return {
    name: row.name,
    description: row.description,
    criteria: { narrative: row.criteriaNarrative, url: row.criteriaUrl },
    image: row.imageUrl ? { url: row.imageUrl, caption: row.imageCaption } : null,
    achievementType: row.achievementType,
    alignments: byPosition(children.alignments).map(({ achievementId: _a, version: _v, position: _p, ...alignment }) => alignment),
    skills: children.skills.map(({ framework, code, name, url }) => ({ framework, code, name, url })),
    tags: row.tags,
    language: row.language,
    creditsAvailable: row.creditsAvailable,
    estimatedLearningHours: row.estimatedLearningHours,
    validity: row.validity,
    resultDescriptions: byPosition(children.resultDescriptions).map(({ achievementId: _a, version: _v, position: _p, resultId, ...result }) => ({
      id: resultId,
      ...result,
    })),
    evidenceRules: row.evidenceRules,
    competencyBased: row.competencyBased,
    euProfile: row.euProfile,
  };
}

/** The definition as credentials see it: with its version number and the competency rule resolved. */
export function publishedDefinition(row: AchievementVersionRow, children: DefinitionChildren): AchievementDefinition {
  const draft = definitionFromRows(row, children);
  return { ...draft, version: row.version, competencyBased: resolveCompetencyBased(draft) };
}
