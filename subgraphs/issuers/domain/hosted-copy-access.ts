import { canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';

/**
 * What decides who reads a hosted credential: its issuer, and its holder's choice. `recipientId` is null from
 * issuance until the credential reaches the wallet; `holder` is null only for credentials issued before hosted
 * copies were governed, whose delivery the log no longer holds.
 */
export interface HostedCopy {
  issuerId: string;
  holder: { recipientId: string | null; visibility: 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC' } | null;
}

/**
 * Hosted copies follow the holder's visibility: PUBLIC (or issued before it was governed) → anyone; otherwise only
 * the holder, operators and members of the issuer that awarded it. SHARED_ONLY is read through the holder's shares
 * and consents, which the recipients service serves; a bare URL carries no share.
 */
export function canReadHostedCopy(viewer: Viewer, copy: HostedCopy): boolean {
  if (!copy.holder || copy.holder.visibility === 'PUBLIC') return true;
  if (canActForIssuer(viewer, copy.issuerId)) return true;
  return viewer.kind === 'RECIPIENT' && copy.holder.recipientId !== null && viewer.recipientId === copy.holder.recipientId;
}
