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
