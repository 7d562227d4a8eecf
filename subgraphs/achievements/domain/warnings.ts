import type { SkillDefinition } from '../../../lib/ob/achievement.js';

/**
 * Things worth telling an issuer that do not stop the change: returned in mutation payloads, never thrown.
 * `code` is SCREAMING_SNAKE and stable (clients may match on it); `field` names the input it is about.
 */
export interface AchievementWarning {
  code: 'LEARNING_HOURS_OUTSIDE_RANGE' | 'SHARED_SKILL_KEPT';
  message: string;
  field: string | null;
}

/**
 * The learning a micro-credential usually represents, in hours (the range the hub's issuers agreed on: less is
 * a module of a course, more is a course or a programme). Outside it is allowed, with a warning.
 * @default { min: 5, max: 40 }
 */
export const USUAL_LEARNING_HOURS = { min: 5, max: 40 } as const;

export function learningHoursWarnings(hours: number | null): AchievementWarning[] {
  if (hours === null || (hours >= USUAL_LEARNING_HOURS.min && hours <= USUAL_LEARNING_HOURS.max)) return [];
  return [
    {
      code: 'LEARNING_HOURS_OUTSIDE_RANGE',
      field: 'estimatedLearningHours',
      message: `${hours} learning hours is outside the usual ${USUAL_LEARNING_HOURS.min}–${USUAL_LEARNING_HOURS.max} hours of a micro-credential; check the estimate, or consider splitting or combining achievements`,
    },
  ];
}

/**
 * Skills are shared by every issuer, so the first definition of a (framework, code) stays; a later achievement
 * naming the same skill differently links to the shared one. Say so, rather than silently showing another name.
 */
export function sharedSkillWarnings(requested: readonly SkillDefinition[], stored: readonly SkillDefinition[]): AchievementWarning[] {
  const storedByKey = new Map(stored.map((skill) => [`${skill.framework}|${skill.code}`, skill]));
  return requested.flatMap((skill, index) => {
    const kept = storedByKey.get(`${skill.framework}|${skill.code}`);
    if (!kept || (kept.name === skill.name && kept.url === skill.url)) return [];
    return [
      {
        code: 'SHARED_SKILL_KEPT' as const,
        field: `skills[${index}]`,
        message: `${skill.framework} skill ${skill.code} is already defined on this hub as "${kept.name}" (${kept.url}); that shared definition is used`,
      },
    ];
  });
}
