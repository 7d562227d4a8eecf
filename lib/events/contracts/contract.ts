import { z } from 'zod';
import { isUuid } from '../../ids.js';
import type { EventType, NewEvent } from '../types.js';

/** Where an event belongs, beside its payload: the `issuer_id` and `recipient_id` columns subscriptions filter on. */
export interface EventScope {
  issuerId?: string | null;
  recipientId?: string | null;
}

/**
 * The one definition of an event type, used by its producer (`build`), by the outbox (which refuses a payload that
 * breaks it) and by every consumer (`read`/`parse`).
 *
 * Payloads evolve additively: a new field is optional (or has a default) and bumps `version`; every payload written
 * under an earlier version must still parse, because consumers replay the log from cursor 0. A change that cannot be
 * additive is a new event type.
 */
export interface EventContract<Type extends EventType = EventType, Input = unknown, Output = Input> {
  readonly type: Type;
  readonly version: number;
  readonly schema: z.ZodType<Output, Input>;
  /** The event to append; its scope comes from the payload, `scope` adds what the payload does not carry. */
  build(payload: Input, scope?: EventScope): NewEvent;
  /** A stored payload, checked and typed; throws a ZodError when it breaks the contract. */
  parse(payload: unknown): Output;
  /** A stored payload, or what is wrong with it, so a consumer can skip one malformed event loudly instead of stalling. */
  read(payload: unknown): { payload: Output } | { problem: string };
}

export type PayloadOf<Contract> = Contract extends EventContract<EventType, infer Input, unknown> ? Input : never;
export type ParsedPayloadOf<Contract> = Contract extends EventContract<EventType, unknown, infer Output> ? Output : never;

export function defineEventContract<Type extends EventType, Input, Output>(definition: {
  type: Type;
  version: number;
  schema: z.ZodType<Output, Input>;
  /** The scope columns as the payload names them. */
  scope: (payload: Input) => EventScope;
}): EventContract<Type, Input, Output> {
  const { type, version, schema, scope } = definition;
  return {
    type,
    version,
    schema,
    build(payload, extra = {}) {
      return { type, ...scope(payload), ...extra, payload: payload as Record<string, unknown> };
    },
    parse: (payload) => schema.parse(payload),
    read(payload) {
      const parsed = schema.safeParse(payload);
      return parsed.success ? { payload: parsed.data } : { problem: z.prettifyError(parsed.error) };
    },
  };
}

/** Field shapes several contracts share. */
export const uuid = z.string().refine(isUuid, 'not a UUID');
export const isoDateTime = z.iso.datetime({ offset: true });
