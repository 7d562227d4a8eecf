import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The achievements subgraph owns Achievement; this stub only names its key so `Credential.achievement` can
 * point at it. `resolvable: false` because this subgraph has nothing to add to an achievement.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Achievement')
export class Achievement {
  @Field(() => ID) id!: string;
}
