import { parentPort, workerData } from 'node:worker_threads';
import { createCachingCryptosuite, createCanonicalizer } from '../lib/crypto/canonicalizer.js';
import { createSafeFetch } from '../lib/net/safe-fetch.js';
import { createVerifierDocumentLoader } from '../lib/verify/document-loader.js';
import { createCredentialVerifier } from '../lib/verify/verify-credential.js';

/**
 * One thread of the pooled verification benchmark (scripts/bench-verify.ts): Cairn's verifier with the shape cache,
 * reading the status list over HTTP from the bench's local server and caching it by TTL like the hub does.
 */
const { allowedAddresses } = workerData as { allowedAddresses: string[] };
const fetch = createSafeFetch({ allowHttp: true, allowedAddresses });
const documentLoader = createVerifierDocumentLoader({ fetch });
const verifier = createCredentialVerifier({
  documentLoader,
  fetch,
  trust: async () => ({ known: true, source: 'bench' }),
  cryptosuites: { 'eddsa-rdfc-2022': createCachingCryptosuite(createCanonicalizer({ documentLoader })) },
});

parentPort!.on('message', async ({ id, credentials }: { id: number; credentials: string[] }) => {
  const statuses: string[] = [];
  for (const text of credentials) statuses.push((await verifier.verify({ credential: JSON.parse(text) })).status);
  parentPort!.postMessage({ id, statuses });
});
