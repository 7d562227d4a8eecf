import { IdentityType, type Identity } from '../../../lib/identity.js';

export interface KnownIdentity {
  type: IdentityType;
  value: string;
  verified: boolean;
  /** Where in the event log the recipient got it: later is more recent. */
  addedCursor: number;
}

/** The identity types an issuance can name (OTHER cannot be awarded to), most reachable first. */
const AWARDABLE: readonly IdentityType[] = [IdentityType.EMAIL, IdentityType.DID, IdentityType.URL, IdentityType.PHONE, IdentityType.STUDENT_ID];

/**
 * The identity to issue an award to when the completion named none: a verified e-mail address first (the recipient
 * proved it reaches them, and the wallet delivers by it), then any e-mail address, then the other types in the order
 * above, proved before unproved; the most recently added wins a tie. Null when no identity can be awarded to.
 */
export function chooseAwardIdentity(identities: readonly KnownIdentity[]): Identity | null {
  const rank = (identity: KnownIdentity) => AWARDABLE.indexOf(identity.type) * 2 + (identity.verified ? 0 : 1);
  const [best] = identities
    .filter((identity) => AWARDABLE.includes(identity.type))
    .sort((a, b) => rank(a) - rank(b) || b.addedCursor - a.addedCursor);
  return best ? { type: best.type, value: best.value } : null;
}
