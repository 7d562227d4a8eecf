import { assertAuthenticated, assertIssuerAccess } from '../../../lib/auth/access.js';
import { keyChangesAcknowledged } from '../../../lib/auth/api-key-cache.js';
import { createApiKey, findApiKey, revokeApiKey, updateMemberKeys, type CreatedApiKey } from '../../../lib/auth/api-keys.js';
import type { IssuerRole, Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { MemberStore } from '../db/member-store.js';
import type { IssuerStore } from '../db/store.js';
import type { MemberRow } from '../db/tables.js';
import { decideApiKeyGrant, type ApiKeyRequest } from '../domain/api-key-grant.js';
import { assertKeepsAnOwner, normaliseMember, type MemberInput } from '../domain/members.js';

export interface MembersDeps {
  db: Db;
  members: MemberStore;
  issuers: IssuerStore;
}

export interface NewApiKeyRequest extends ApiKeyRequest {
  name: string;
  /** For ISSUER keys held by a member: the key takes (and keeps following) the member's role. */
  memberId?: string | null;
}

/**
 * The people who act for an issuer and the API keys they act with. A member's keys follow the member: a new role
 * applies to them at once, removal revokes them, and an issuer always keeps an owner.
 */
export function createMembersService({ db, members, issuers }: MembersDeps) {
  const issuerExists = async (issuerId: string) => (await issuers.findByIds([issuerId])).length > 0;

  async function memberForOwner(viewer: Viewer, id: string): Promise<MemberRow> {
    const member = await members.find(id);
    if (!member || member.removedAt) throw new NotFoundError('IssuerMember', id);
    assertIssuerAccess(viewer, member.issuerId, 'OWNER');
    return member;
  }

  /**
   * Changes or removes a member (`role` null), under a lock on the issuer's members so "keep one owner" cannot race;
   * answers once no gateway acts on the member's keys as they were.
   */
  async function changeMember(member: MemberRow, role: IssuerRole | null): Promise<MemberRow> {
    const changed = await db.transaction(async (tx) => {
      await members.lockActive(tx, member.issuerId);
      assertKeepsAnOwner(member, role, await members.countOtherOwners(tx, member.issuerId, member.id));
      if (role === null) {
        await updateMemberKeys(tx, member.id, { revoke: true });
        return members.update(tx, member.id, { removed: true });
      }
      await updateMemberKeys(tx, member.id, { role });
      return members.update(tx, member.id, { role });
    });
    await keyChangesAcknowledged(db);
    return changed;
  }

  return {
    /** Adds a person to an issuer (owners only); an email is a member of an issuer once. */
    async addMember(viewer: Viewer, input: MemberInput & { issuerId: string }): Promise<MemberRow> {
      assertIssuerAccess(viewer, input.issuerId, 'OWNER');
      if (!(await issuerExists(input.issuerId))) throw new NotFoundError('Issuer', input.issuerId);
      const member = normaliseMember(input);
      try {
        return await db.transaction((tx) => members.insert(tx, { id: newId(), issuerId: input.issuerId, ...member }));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new AppError('CONFLICT', `${member.email} is already a member of this issuer`, { field: 'email' });
      }
    },

    /** Changes a member's role; their API keys take the new role at once. */
    async updateMember(viewer: Viewer, input: { id: string; role: IssuerRole }): Promise<MemberRow> {
      return changeMember(await memberForOwner(viewer, input.id), input.role);
    },

    /** Removes a member and revokes every API key they hold. */
    async removeMember(viewer: Viewer, input: { id: string }): Promise<MemberRow> {
      return changeMember(await memberForOwner(viewer, input.id), null);
    },

    /** Creates an API key; the secret is in the result and nowhere else, ever. */
    async createApiKey(viewer: Viewer, input: NewApiKeyRequest): Promise<CreatedApiKey> {
      const member = input.memberId ? await members.find(input.memberId) : null;
      if (input.memberId && (!member || member.removedAt)) throw new NotFoundError('IssuerMember', input.memberId);
      if (member && (input.principal !== 'ISSUER' || (input.issuerId ?? member.issuerId) !== member.issuerId)) {
        throw new AppError('BAD_USER_INPUT', 'a member’s key is an ISSUER key for the member’s own issuer', { field: 'memberId' });
      }
      const grant = decideApiKeyGrant(viewer, member ? { ...input, issuerId: member.issuerId, role: member.role } : input, newId);
      const name = input.name.trim();
      if (!name) throw new AppError('BAD_USER_INPUT', 'name must not be empty', { field: 'name' });
      if (grant.principal === 'ISSUER' && !(await issuerExists(grant.issuerId))) throw new NotFoundError('Issuer', grant.issuerId);
      assertAuthenticated(viewer);
      return createApiKey(db, { name, grant, createdBy: viewer.apiKeyId, memberId: member?.id ?? null });
    },

    /** Revokes a key at once (on every gateway before answering); revoking twice is harmless. Owners revoke their issuer's keys; anyone, the key they use. */
    async revokeApiKey(viewer: Viewer, id: string) {
      const key = await findApiKey(db, id);
      if (!key) throw new NotFoundError('ApiKey', id);
      if (viewer.kind !== 'ADMIN' && !(viewer.kind !== 'ANONYMOUS' && viewer.apiKeyId === key.id)) {
        if (!key.issuerId) throw new NotFoundError('ApiKey', id);
        assertIssuerAccess(viewer, key.issuerId, 'OWNER');
      }
      const revoked = await revokeApiKey(db, key.id);
      await keyChangesAcknowledged(db);
      return revoked;
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
