import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The achievements subgraph owns Pathway; this subgraph adds `metrics` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Pathway')
export class Pathway {
  @Field(() => ID) id!: string;
}

/** Any pathway id is a valid reference here: `metrics` decides what the viewer may read. */
export function resolvePathwayReference(reference: { id: string }): Pathway {
  return { id: reference.id };
}
