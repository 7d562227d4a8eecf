import { apiKeyPagesByIssuer } from '../../lib/auth/api-keys.js';
import type { Db } from '../../lib/db/client.js';
import { createByIdLoader, createGroupedLoader } from '../../lib/graphql/loaders.js';
import { createPagedByParentLoader } from '../../lib/graphql/paged-loader.js';
import type { IssuanceStore } from './db/issuance-store.js';
import type { KeyStore } from './db/key-store.js';
import type { MemberStore } from './db/member-store.js';
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
    issuerById: createByIdLoader((ids) => store.findByIds(ids), (row) => row.id),
    signingKeysByIssuerId: createGroupedLoader((issuerIds) => keys.keysByIssuerIds(issuerIds), (row) => row.issuerId),
    membersByIssuerId: createGroupedLoader((issuerIds) => members.membersByIssuerIds(issuerIds), (row) => row.issuerId),
    issuedCredentialById: createByIdLoader((ids) => issuance.findCredentialStatuses(ids), (row) => row.id),
    apiKeysByIssuerId: createPagedByParentLoader((issuerIds, request) => apiKeyPagesByIssuer(db, issuerIds, request)),
  };
}

export type IssuerLoaders = ReturnType<typeof createIssuerLoaders>;
