import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { EventType } from '../../../lib/events/types.js';
import { Issuer } from './issuer.entity.js';

registerEnumType(EventType, { name: 'EventType', description: 'What happened.' });

@ObjectType('CredentialEvent', { description: 'One entry of the hub’s durable, ordered event log.' })
export class CredentialEvent {
  @Field(() => String, { description: 'Position in the log; pass it back as `after` to resume after this event.' })
  cursor!: string;
  @Field(() => EventType) type!: EventType;
  @Field(() => GraphQLDateTime) occurredAt!: Date;
  @Field(() => Issuer, { nullable: true }) issuer!: Issuer | null;
  @Field(() => ID, { nullable: true }) recipientId!: string | null;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
}

@ArgsType()
export class CredentialEventsArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Resume after this cursor: every later event is delivered, then live ones. "0" replays the whole log; omitted means from now on.',
  })
  after?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only this issuer’s events (issuer members always get only their own).' })
  issuerId?: string | null;
  @Field(() => [EventType], { nullable: true, description: 'Only these kinds of event.' })
  types?: EventType[] | null;
}
