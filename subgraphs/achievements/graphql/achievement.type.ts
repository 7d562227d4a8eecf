import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';
import { Issuer } from './issuer.entity.js';

@ObjectType('Criteria', { description: 'How an achievement is earned (an Open Badges 3.0 Criteria).' })
export class Criteria {
  @Field(() => String, { nullable: true, description: 'The URL of a page that describes the criteria.' }) id!: string | null;
  @Field(() => String, { nullable: true, description: 'The criteria in Markdown.' }) narrative!: string | null;
}

// `criteria` and `issuer` are field resolvers (achievement.resolver.ts): the row stores them flat.
@Directive('@key(fields: "id")')
@ObjectType('Achievement', { description: 'Something an issuer recognises with a credential (an Open Badges 3.0 Achievement).' })
export class Achievement {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Criteria) criteria!: Criteria;
  @Field(() => Issuer, { description: 'The issuer that defines this achievement.' }) issuer!: Issuer;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const AchievementConnection = ConnectionType(Achievement, 'Achievement');

@InputType()
export class CriteriaInput {
  @Field(() => String, { nullable: true, description: 'The criteria in Markdown.' }) narrative?: string | null;
  @Field(() => String, { nullable: true, description: 'An http(s) page that describes the criteria.' }) url?: string | null;
}

@InputType({ description: 'Give criteria a narrative, a url, or both.' })
export class CreateAchievementInput {
  @Field(() => ID) issuerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => CriteriaInput) criteria!: CriteriaInput;
}

@ObjectType()
export class CreateAchievementPayload {
  @Field(() => Achievement) achievement!: Achievement;
}
