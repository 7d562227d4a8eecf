import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { createDocumentLoader, type DidResolver } from '../../lib/crypto/document-loader.js';

/**
 * Whether the stock @digitalbazaar/vc verifier (none of Cairn's verification code) accepts a credential's proof.
 * Status is not its business here: the stock checker insists on one when credentialStatus is present, so it gets a
 * stub, and status is tested on its own.
 */
export async function verifiesWithStockLibrary(credential: Record<string, unknown>, resolveDid: DidResolver): Promise<boolean> {
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
    documentLoader: createDocumentLoader({ resolveDid }),
    checkStatus: async () => ({ verified: true }),
  });
  return result.verified;
}
