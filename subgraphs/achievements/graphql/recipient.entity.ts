import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The recipients subgraph owns Recipient; this subgraph adds `Recipient.pathways` by its key, never reading recipients' tables. */
@Directive('@key(fields: "id")')
@ObjectType('Recipient')
export class Recipient {
  @Field(() => ID) id!: string;
}
