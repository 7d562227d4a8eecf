import { ArgsType, Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../../lib/graphql/pagination.js';
import { SKILL_FRAMEWORKS, type SkillFramework } from '../../../lib/ob/achievement.js';

export const SkillFrameworkEnum = Object.fromEntries(SKILL_FRAMEWORKS.map((framework) => [framework, framework])) as {
  [F in SkillFramework]: F;
};
registerEnumType(SkillFrameworkEnum, {
  name: 'SkillFramework',
  description: 'The taxonomy a skill comes from.',
  valuesConfig: {
    ESCO: { description: 'European Skills, Competences, Qualifications and Occupations (codes are concept URIs).' },
    ONET: { description: 'O*NET (US Department of Labor).' },
    LIGHTCAST: { description: 'Lightcast Open Skills.' },
    CUSTOM: { description: 'A skill defined on this hub.' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType('Skill', {
  description: 'A skill from a framework, shared by every issuer on the hub: one per (framework, code). The first definition keeps its name and URL.',
})
export class Skill {
  @Field(() => ID) id!: string;
  @Field(() => SkillFrameworkEnum) framework!: SkillFramework;
  @Field(() => String, { description: 'The code in its framework (for ESCO, the concept URI).' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'A page that describes the skill (an OB alignment’s targetUrl).' }) url!: string;
}

export const SkillConnection = ConnectionType(Skill, 'Skill');

@ArgsType()
export class SkillsArgs extends PageArgs {
  @Field(() => SkillFrameworkEnum, { nullable: true, description: 'Only skills of this framework.' }) framework?: SkillFramework | null;
  @Field(() => String, { nullable: true, description: 'Only skills whose name or code contains this text (any case).' }) search?: string | null;
}
