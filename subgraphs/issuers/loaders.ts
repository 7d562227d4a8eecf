import DataLoader from 'dataloader';
import { apiKeyPagesByIssuer } from '../../lib/auth/api-keys.js';
import type { Db } from '../../lib/db/client.js';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { IssuanceStore } from './db/issuance-store.js';
import type { KeyStore } from './db/key-store.js';
import type { MemberStore } from './db/member-store.js';
import type { IssuedCredentialRow, IssuerRow, MemberRow, SigningKeyRow } from './db/tables.js';
import type { IssuerStore } from './db/store.js';

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createIssuerLoaders({
  store,
  keys,
  issuance,
  members,
  db,
}: {
  store: IssuerStore;
  keys: KeyStore;
  issuance: IssuanceStore;
  members: MemberStore;
  db: Db;
}) {
  return {
    issuerById: new DataLoader<string, IssuerRow | null>(async (ids) => {
      const byId = new Map((await store.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    signingKeysByIssuerId: new DataLoader<string, SigningKeyRow[]>(async (issuerIds) => {
      const rows = await keys.keysByIssuerIds(issuerIds);
      return issuerIds.map((id) => rows.filter((row) => row.issuerId === id.toLowerCase()));
    }),
    membersByIssuerId: new DataLoader<string, MemberRow[]>(async (issuerIds) => {
      const rows = await members.membersByIssuerIds(issuerIds);
      return issuerIds.map((id) => rows.filter((row) => row.issuerId === id.toLowerCase()));
    }),
    issuedCredentialById: new DataLoader<string, IssuedCredentialRow | null>(async (ids) => {
      const byId = new Map((await issuance.findCredentials(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
    apiKeysByIssuerId: createPagedByParentLoader((issuerIds, request) => apiKeyPagesByIssuer(db, issuerIds, request)),
  };
}

export type IssuerLoaders = ReturnType<typeof createIssuerLoaders>;
