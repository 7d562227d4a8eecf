import type { IssuerRole } from '../../../lib/auth/viewer.js';
import { AppError } from '../../../lib/errors.js';
import { emailAddress, requiredText } from '../../../lib/validation.js';

export interface MemberInput {
  name: string;
  email: string;
  role: IssuerRole;
}

export function normaliseMember(input: MemberInput): MemberInput {
  return { name: requiredText(input.name, 'name', 200), email: emailAddress(input.email, 'email'), role: input.role };
}

/**
 * An issuer must never lose its last owner through its members: nobody would be left to manage keys and members
 * (operators could still, but an issuer should not need them for that).
 */
export function assertKeepsAnOwner(member: { role: IssuerRole }, nextRole: IssuerRole | null, otherOwners: number): void {
  if (member.role === 'OWNER' && nextRole !== 'OWNER' && otherOwners === 0) {
    throw new AppError('CONFLICT', 'this is the issuer’s last owner: make another member OWNER first', { field: 'role' });
  }
}
