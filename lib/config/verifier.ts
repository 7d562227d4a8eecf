/** Whom the verifier trusts. */
export interface VerifierConfig {
  /** Issuer ids (DIDs or URLs) the operator vouches for, besides this hub's own issuers. */
  trustedIssuers: string[];
  /** Files or https URLs of issuer registries: JSON `{ "name"?, "issuers": [{ "id", "name"? }] }` or an array of ids. */
  trustedIssuerRegistries: string[];
  /** Make an issuer nobody vouches for INVALID instead of only reporting it. */
  requireKnownIssuer: boolean;
  /**
   * A PEM file of the certificates sealed European Digital Credentials must chain to (e.g. the CA certificates of
   * the EU trusted lists' qualified e-seal services); null: seals are verified, their issuer trust is "unknown".
   */
  europassTrustAnchorsFile: string | null;
}
