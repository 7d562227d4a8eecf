import { credentialImportedEvent } from '../../../lib/events/contracts/credential-imported.js';
import { credentialIssuedEvent } from '../../../lib/events/contracts/credential-issued.js';
import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { EventType, type StoredEvent } from '../../../lib/events/types.js';
import type { Db } from '../../../lib/db/client.js';
import { saveWalletDocuments } from '../db/store.js';

type WalletDocument = { credentialId: string; document: Record<string, unknown>; encoded: string | null };

/**
 * What a wallet credential is, as the verifier keeps it: a credential this hub issued enters every wallet under its
 * own id with the issued document, an imported one comes with its document in CredentialImported (version 2). A
 * payload that breaks its contract, or a version 1 import without a document, is skipped: it cannot be copied, and
 * retrying would block every later event.
 */
function documentOf(event: StoredEvent): WalletDocument | null {
  if (event.type === EventType.CREDENTIAL_ISSUED) {
    const read = credentialIssuedEvent.read(event.payload);
    return 'payload' in read ? { credentialId: read.payload.credentialId, document: read.payload.document, encoded: null } : null;
  }
  const read = credentialImportedEvent.read(event.payload);
  if (!('payload' in read) || !read.payload.document) return null;
  return { credentialId: read.payload.credentialId, document: read.payload.document, encoded: read.payload.encoded ?? null };
}

const save = (tx: Db, events: readonly StoredEvent[]) => saveWalletDocuments(tx, events.map(documentOf).filter((copy) => copy !== null));

/** Copies every wallet credential's document, so its verdict needs only its id and digest from the recipients subgraph. */
export const walletDocumentsConsumer: ConsumerOptions = {
  name: 'verification.wallet-documents',
  types: [EventType.CREDENTIAL_ISSUED, EventType.CREDENTIAL_IMPORTED],
  // A bulk job's chunk of issued credentials is one statement.
  batchSize: 200,
  handleBatch: (tx, events) => save(tx, events),
  handle: (tx, event) => save(tx, [event]),
};
