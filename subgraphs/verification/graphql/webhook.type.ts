import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EventType } from '../../../lib/events/types.js';
import { Issuer } from './issuer.entity.js';
import './event.type.js';

export enum WebhookStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(WebhookStatus, {
  name: 'WebhookStatus',
  description: 'ACTIVE delivers; DISABLED delivers nothing until enabled (by a member, or after 24 hours of failures).',
});

export enum WebhookDeliveryOutcome {
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryOutcome, { name: 'WebhookDeliveryOutcome', description: 'DELIVERED: the receiver answered 2xx.' });

@ObjectType('WebhookDelivery', { description: 'One attempt to deliver an event to a webhook, with what the receiver answered.' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The event’s cursor: also sent as `cairn-event-id`, the idempotency id.' }) eventCursor!: string;
  @Field(() => EventType) eventType!: EventType;
  @Field(() => Boolean, { description: 'A manual redelivery (`redeliverWebhookEvent`), outside the webhook’s order.' }) redelivery!: boolean;
  @Field(() => WebhookDeliveryOutcome) outcome!: WebhookDeliveryOutcome;
  @Field(() => Int, { nullable: true, description: 'The receiver’s HTTP status; null when it gave none (refused, unreachable, timed out).' })
  responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'The start of the receiver’s answer (1 KB), or what went wrong.' }) responseBody!: string | null;
  @Field(() => Int) durationMs!: number;
  @Field(() => GraphQLDateTime) attemptedAt!: Date;
}

@ObjectType('Webhook', {
  description:
    'Events of one issuer POSTed to a URL, signed (`cairn-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), one at a time in log order, at least once (deduplicate on `cairn-event-id`). A failing event is retried after 30 s, 1 min, 2 min … up to hourly, and the events behind it wait; after 24 hours of failure the webhook is DISABLED.',
})
export class Webhook {
  @Field(() => ID) id!: string;
  @Field(() => Issuer) issuer!: Issuer;
  @Field(() => String) url!: string;
  @Field(() => [EventType]) types!: EventType[];
  @Field(() => WebhookStatus) status!: WebhookStatus;
  @Field(() => String, { nullable: true }) disabledReason!: string | null;
  @Field(() => String, { description: 'The cursor of the last event delivered (or passed over as not of its types).' }) deliveredThrough!: string;
  @Field(() => Int, { description: 'Failed attempts in a row at the next event.' }) failedAttempts!: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Since when the next event has been failing; null when it is not.' }) failingSince!: Date | null;
  @Field(() => GraphQLDateTime, { description: 'When the next attempt is due.' }) nextAttemptAt!: Date;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

@InputType()
export class CreateWebhookInput {
  @Field(() => ID) issuerId!: string;
  @Field(() => String, { description: 'https only; a public address.' }) url!: string;
  @Field(() => [EventType], { description: 'The kinds of event delivered.' }) types!: EventType[];
}

@ObjectType()
export class CreateWebhookPayload {
  @Field(() => Webhook) webhook!: Webhook;
  @Field(() => String, { description: 'The signing secret, shown this once: keep it to check `cairn-signature`.' }) secret!: string;
}

@InputType()
export class WebhookIdInput {
  @Field(() => ID) id!: string;
}

@InputType()
export class RedeliverWebhookEventInput {
  @Field(() => ID) webhookId!: string;
  @Field(() => String, { description: 'The event’s cursor.' }) cursor!: string;
}

@ObjectType()
export class WebhookPayload {
  @Field(() => Webhook) webhook!: Webhook;
}

@ObjectType()
export class DeleteWebhookPayload {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RedeliverWebhookEventPayload {
  @Field(() => WebhookDelivery) delivery!: WebhookDelivery;
}
