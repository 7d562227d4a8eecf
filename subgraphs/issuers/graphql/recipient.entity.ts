import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The recipients subgraph owns Recipient; this stub only names its key so `Viewer.recipient` (`me`) can point at a
 * signed-in recipient's own record. `resolvable: false`: this subgraph has nothing to add to a recipient.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Recipient')
export class Recipient {
  @Field(() => ID) id!: string;
}
