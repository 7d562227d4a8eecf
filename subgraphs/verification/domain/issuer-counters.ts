import { EventType } from '../../../lib/events/types.js';

/** The per-issuer counters the verification subgraph keeps. */
export type IssuerCounter = 'achievementsCreated' | 'credentialsIssued' | 'credentialsRevoked' | 'credentialsVerified';

/** Which issuer counter each event moves. Events not listed here do not affect issuer metrics. */
export const COUNTER_FOR_EVENT: Partial<Record<EventType, IssuerCounter>> = {
  [EventType.ACHIEVEMENT_CREATED]: 'achievementsCreated',
  [EventType.CREDENTIAL_ISSUED]: 'credentialsIssued',
  [EventType.CREDENTIAL_REVOKED]: 'credentialsRevoked',
  [EventType.CREDENTIAL_VERIFIED]: 'credentialsVerified',
};

export const COUNTED_EVENT_TYPES = Object.keys(COUNTER_FOR_EVENT) as EventType[];

/** How far each issuer's counters move for these events: one step per (issuer, counter), however many events. */
export function counterSteps(events: readonly { type: EventType; issuerId: string | null }[]): { issuerId: string; counter: IssuerCounter; by: number }[] {
  const steps = new Map<string, { issuerId: string; counter: IssuerCounter; by: number }>();
  for (const { type, issuerId } of events) {
    const counter = COUNTER_FOR_EVENT[type];
    if (!counter || !issuerId) continue;
    const step = steps.get(`${issuerId}:${counter}`);
    if (step) step.by += 1;
    else steps.set(`${issuerId}:${counter}`, { issuerId, counter, by: 1 });
  }
  return [...steps.values()];
}
