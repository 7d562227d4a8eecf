import { Args, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { StoredEvent } from '../../../lib/events/types.js';
import type { VerificationContext } from '../context.js';
import { eventScopeFor, parseEventCursor } from '../domain/event-access.js';
import { CredentialEvent, CredentialEventsArgs } from './event.type.js';

async function subscribeToEvents({ args, context }: SubscribeResolverData<unknown, CredentialEventsArgs, VerificationContext>) {
  const issuerId = eventScopeFor(context.viewer, args.issuerId);
  // Without a cursor the subscription starts at the head of the log, fixed now, before the first event is awaited.
  const after = args.after == null ? await context.feed.head() : parseEventCursor(args.after);
  await context.feed.assertResumable(after);
  context.log.debug({ issuerId, after, types: args.types }, 'credential events subscription opened');
  return context.feed.subscribe({ after, issuerId, types: args.types });
}

@Resolver(() => CredentialEvent)
export class CredentialEventResolver {
  @Subscription(() => CredentialEvent, {
    subscribe: subscribeToEvents,
    description:
      'Live credential events, in order. Reconnect with `after` set to the last cursor you saw and nothing is lost or repeated.',
  })
  credentialEvents(@Root() event: StoredEvent, @Args(() => CredentialEventsArgs) _args: CredentialEventsArgs): CredentialEvent {
    return {
      cursor: String(event.cursor),
      type: event.type,
      occurredAt: event.occurredAt,
      issuer: event.issuerId ? { id: event.issuerId } : null,
      recipientId: event.recipientId,
      payload: event.payload,
    };
  }
}
