import { createHmac } from 'node:crypto';
import type { LimitsConfig } from '../../../lib/config/env.js';
import { perHour, spendAllowance } from '../../../lib/rate-limit/allowance.js';
import type { RateLimitStore } from '../../../lib/rate-limit/token-buckets.js';

/** Whose codes a guess is tried against: an address being signed in with, or the signed-in recipient proving one. */
export type CodeSubject = { email: string } | { recipientId: string };

/**
 * The rate limits on one-time codes, in the store the gateway's limits use (RATE_LIMIT_STORE), so every replica
 * counts alike. Per client IP: codes asked for (mail sent to sprayed addresses) and guesses. Per subject: guesses,
 * whatever IP they come from, so a distributed brute force of one address gets no further than one client: each code
 * also dies after 5 wrong guesses and an address gets 5 codes an hour (domain/email-code.ts), but those 25 guesses an
 * hour become `attemptsPerHour`. A caller without an address (inside the hub) is not limited per IP.
 * Addresses are keyed by an HMAC under the code key: the store holds no e-mail address.
 */
export function createCodeLimits(store: RateLimitStore, limits: LimitsConfig['codes'], codeKey: Buffer) {
  const subjectKey = (subject: CodeSubject) =>
    'email' in subject ? `email:${createHmac('sha256', codeKey).update(`rate-limit:${subject.email}`).digest('base64url')}` : `recipient:${subject.recipientId}`;
  return {
    async codeRequested(clientAddress: string | null | undefined): Promise<void> {
      if (clientAddress) await spendAllowance(store, `code-requests:ip:${clientAddress}`, perHour(limits.requestsPerIpPerHour), 'one-time codes from this address');
    },
    async codeAttempted(subject: CodeSubject, clientAddress: string | null | undefined): Promise<void> {
      if (clientAddress) await spendAllowance(store, `code-attempts:ip:${clientAddress}`, perHour(limits.attemptsPerIpPerHour), 'code attempts from this address');
      await spendAllowance(store, `code-attempts:${subjectKey(subject)}`, perHour(limits.attemptsPerHour), 'code attempts; ask for a new code later');
    },
  };
}

export type CodeLimits = ReturnType<typeof createCodeLimits>;
