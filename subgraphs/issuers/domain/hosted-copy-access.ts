import { canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';

/** What decides who reads a hosted credential: its issuer, and its holder's choice (null: in no wallet yet). */
export interface HostedCopy {
  issuerId: string;
  holder: { recipientId: string; visibility: 'PRIVATE' | 'SHARED_ONLY' | 'PUBLIC' } | null;
}

/**
 * Hosted copies follow the holder's visibility: PUBLIC (or not yet in a wallet) → anyone; otherwise only the
 * holder, operators and members of the issuer that awarded it. SHARED_ONLY is read through the holder's shares and
 * consents, which the recipients service serves; a bare URL carries no share.
 */
export function canReadHostedCopy(viewer: Viewer, copy: HostedCopy): boolean {
  if (!copy.holder || copy.holder.visibility === 'PUBLIC') return true;
  if (canActForIssuer(viewer, copy.issuerId)) return true;
  return viewer.kind === 'RECIPIENT' && viewer.recipientId === copy.holder.recipientId;
}
