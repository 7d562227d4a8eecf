import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { parseEventCursor } from '../domain/event-access.js';
import type { VerificationContext } from '../context.js';
import type { WebhookDeliveryRow, WebhookRow } from '../db/webhook-tables.js';
import { Issuer } from './issuer.entity.js';
import {
  CreateWebhookInput,
  CreateWebhookPayload,
  DeleteWebhookPayload,
  RedeliverWebhookEventInput,
  RedeliverWebhookEventPayload,
  Webhook,
  WebhookDelivery,
  WebhookIdInput,
  WebhookPayload,
  type WebhookDeliveryOutcome,
  type WebhookStatus,
} from './webhook.type.js';
import type { EventType } from '../../../lib/events/types.js';

/** @default 100 // delivery log entries per page */
const MAX_DELIVERIES_PAGE = 100;

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  issuer: { id: row.issuerId },
  url: row.url,
  types: row.types as EventType[],
  status: row.status as WebhookStatus,
  disabledReason: row.disabledReason,
  deliveredThrough: String(row.cursor),
  failedAttempts: row.attempts,
  failingSince: row.failingSince,
  nextAttemptAt: row.nextAttemptAt,
  createdAt: row.createdAt,
});

const toDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  ...row,
  eventCursor: String(row.eventCursor),
  eventType: row.eventType as EventType,
  redelivery: row.redelivery === 'MANUAL',
  outcome: row.outcome as WebhookDeliveryOutcome,
});

@Resolver(() => Webhook)
export class WebhookResolver {
  @Mutation(() => CreateWebhookPayload, { description: 'A webhook for an issuer’s events, delivering from now on (issuer OWNER or operator).' })
  async createWebhook(@Arg('input', () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: VerificationContext): Promise<CreateWebhookPayload> {
    const { webhook, secret } = await ctx.webhooks.create(ctx.viewer, input);
    return { webhook: toWebhook(webhook), secret };
  }

  @Mutation(() => WebhookPayload, { description: 'Delivers again, from the event it stopped at (issuer OWNER or operator).' })
  async enableWebhook(@Arg('input', () => WebhookIdInput) input: WebhookIdInput, @Ctx() ctx: VerificationContext): Promise<WebhookPayload> {
    return { webhook: toWebhook(await ctx.webhooks.enable(ctx.viewer, input.id)) };
  }

  @Mutation(() => WebhookPayload, { description: 'Stops delivering; events wait in the log until it is enabled (issuer OWNER or operator).' })
  async disableWebhook(@Arg('input', () => WebhookIdInput) input: WebhookIdInput, @Ctx() ctx: VerificationContext): Promise<WebhookPayload> {
    return { webhook: toWebhook(await ctx.webhooks.disable(ctx.viewer, input.id)) };
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Removes a webhook and its delivery log (issuer OWNER or operator).' })
  async deleteWebhook(@Arg('input', () => WebhookIdInput) input: WebhookIdInput, @Ctx() ctx: VerificationContext): Promise<DeleteWebhookPayload> {
    return { id: await ctx.webhooks.remove(ctx.viewer, input.id) };
  }

  @Mutation(() => RedeliverWebhookEventPayload, { description: 'Sends one of the webhook’s events again, now (issuer OWNER or operator).' })
  async redeliverWebhookEvent(@Arg('input', () => RedeliverWebhookEventInput) input: RedeliverWebhookEventInput, @Ctx() ctx: VerificationContext): Promise<RedeliverWebhookEventPayload> {
    return { delivery: toDelivery(await ctx.webhooks.redeliver(ctx.viewer, input.webhookId, parseEventCursor(input.cursor))) };
  }

  @FieldResolver(() => [WebhookDelivery], { description: 'The delivery log, newest first.' })
  async deliveries(
    @Root() webhook: Webhook,
    @Ctx() ctx: VerificationContext,
    @Arg('first', () => Int, { defaultValue: 20, description: `At most ${MAX_DELIVERIES_PAGE}.` }) first: number,
    @Arg('before', () => String, { nullable: true, description: 'The id of the last delivery of the previous page.' }) before: string | null,
  ): Promise<WebhookDelivery[]> {
    const rows = await ctx.webhooks.deliveries(ctx.viewer, webhook.id, { first: Math.min(Math.max(first, 1), MAX_DELIVERIES_PAGE), beforeId: before });
    return rows.map(toDelivery);
  }
}

@Resolver(() => Issuer)
export class IssuerWebhooksResolver {
  @FieldResolver(() => [Webhook], { nullable: true, description: 'The issuer’s webhooks (members and operators only; null with an error for anyone else).' })
  async webhooks(@Root() issuer: Issuer, @Ctx() ctx: VerificationContext): Promise<Webhook[]> {
    return (await ctx.webhooks.forIssuer(ctx.viewer, issuer.id)).map(toWebhook);
  }
}
