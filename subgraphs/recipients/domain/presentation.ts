const VC_2_0_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export interface PresentableCredential {
  document: Record<string, unknown>;
  encoded: string | null;
  /** The form it was handed over in (VC_2_0, VC_1_1, VC_JWT, OB_2_0_HOSTED, OB_2_0_SIGNED, EDC_JADES, UNKNOWN). */
  format: string;
}

/**
 * A share as a W3C VerifiablePresentation (VC Data Model 2.0), unsigned: each credential inside carries its own
 * issuer's proof, which is what a verifier checks; the hub holds no key of the holder's to sign a holder proof, and a
 * hub signature would prove only that the hub served the file. Embedded-proof credentials (VC 2.0, VC 1.1) go in as
 * issued; a VC-JWT goes in as an EnvelopedVerifiableCredential (`data:application/vc+jwt,<jwt>`), because its
 * signature covers the encoding. OB 2.0 assertions are not Verifiable Credentials and are listed in
 * `openBadgesV2Assertions` beside them, as received (hosted JSON, or the signed JWS). Sealed European Digital
 * Credentials go in `sealedEuropeanDigitalCredentials` as sealed (the JAdES JWS JSON): the seal covers those bytes.
 */
export function presentationOf(credentials: readonly PresentableCredential[], options: { id: string; holder: string | null }): Record<string, unknown> {
  const verifiableCredential: unknown[] = [];
  const openBadgesV2Assertions: unknown[] = [];
  const sealedEuropeanDigitalCredentials: unknown[] = [];
  for (const credential of credentials) {
    if (credential.format === 'VC_JWT' && credential.encoded) {
      verifiableCredential.push({ '@context': [VC_2_0_CONTEXT], id: `data:application/vc+jwt,${credential.encoded}`, type: 'EnvelopedVerifiableCredential' });
    } else if (credential.format === 'OB_2_0_HOSTED' || credential.format === 'OB_2_0_SIGNED') {
      openBadgesV2Assertions.push(credential.encoded ?? credential.document);
    } else if (credential.format === 'EDC_JADES' && credential.encoded) {
      sealedEuropeanDigitalCredentials.push(JSON.parse(credential.encoded));
    } else {
      verifiableCredential.push(credential.document);
    }
  }
  return {
    '@context': [VC_2_0_CONTEXT],
    id: options.id,
    type: ['VerifiablePresentation'],
    ...(options.holder ? { holder: options.holder } : {}),
    verifiableCredential,
    ...(openBadgesV2Assertions.length > 0 ? { openBadgesV2Assertions } : {}),
    ...(sealedEuropeanDigitalCredentials.length > 0 ? { sealedEuropeanDigitalCredentials } : {}),
  };
}
