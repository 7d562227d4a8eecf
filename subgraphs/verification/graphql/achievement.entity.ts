import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The achievements subgraph owns Achievement; this subgraph adds `metrics` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Achievement')
export class Achievement {
  @Field(() => ID) id!: string;
}
