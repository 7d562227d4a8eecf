import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A throwaway eIDAS-like chain for tests: a root (the "trusted list" anchor), a seal CA, and an organisation's seal. */
export interface TestSealChain {
  root: x509.X509Certificate;
  intermediate: x509.X509Certificate;
  leaf: x509.X509Certificate;
  leafKey: CryptoKey;
  /** The root as PEM, what an operator's EUROPASS_TRUST_ANCHORS file holds. */
  rootPem: string;
}

export async function createTestSealChain(options: { organisation?: string; organizationIdentifier?: string; notBefore?: Date; notAfter?: Date } = {}): Promise<TestSealChain> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const keys = async () => (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const [rootKeys, intermediateKeys, leafKeys] = await Promise.all([keys(), keys(), keys()]);
  const serial = () => createHash('sha256').update(Math.random().toString()).digest('hex').slice(0, 16);
  const ca = (pathLength: number) => [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'CN=Test Trusted List Root, O=Test TSP, C=SI', notBefore, notAfter, signingAlgorithm: EC, keys: rootKeys, extensions: ca(1),
  });
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: 'CN=Test Qualified e-Seal CA, O=Test TSP, C=SI', issuer: root.subject, notBefore, notAfter,
    signingAlgorithm: EC, publicKey: intermediateKeys.publicKey, signingKey: rootKeys.privateKey, extensions: ca(0),
  });
  const organisation = options.organisation ?? 'Univerza v Zedu';
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${organisation}, O=${organisation}, 2.5.4.97=${options.organizationIdentifier ?? 'VATSI-12345678'}, C=SI`,
    issuer: intermediate.subject, notBefore: options.notBefore ?? notBefore, notAfter: options.notAfter ?? notAfter,
    signingAlgorithm: EC, publicKey: leafKeys.publicKey, signingKey: intermediateKeys.privateKey,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  return { root, intermediate, leaf, leafKey: leafKeys.privateKey, rootPem: root.toString('pem') };
}

/**
 * Seals an EDC as EDCI does: the issuer's eIDAS identifier taken from the seal certificate, then a JAdES seal (JWS
 * JSON serialisation, unencoded payload, ES256, the chain in x5c without the root).
 */
export async function sealEdc(document: Record<string, any>, chain: TestSealChain, signingTime = new Date()): Promise<{ payload: string; signatures: { protected: string; header: Record<string, unknown>; signature: string }[] }> {
  const sealed = structuredClone(document);
  sealed.issuer.eIDASIdentifier = {
    id: `urn:epass:legalIdentifier:${chain.leaf.serialNumber}`,
    type: 'LegalIdentifier',
    notation: chain.leaf.subjectName.getField('2.5.4.97')[0],
    spatial: { id: 'http://publications.europa.eu/resource/authority/country/SVN', type: 'Concept', inScheme: { id: 'http://publications.europa.eu/resource/authority/country', type: 'ConceptScheme' } },
  };
  const payload = JSON.stringify(sealed);
  const der = (certificate: x509.X509Certificate) => Buffer.from(certificate.rawData);
  const header = {
    alg: 'ES256',
    typ: 'jose+json',
    cty: 'json',
    b64: false,
    crit: ['b64', 'sigT'],
    sigT: signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    x5c: [der(chain.leaf).toString('base64'), der(chain.intermediate).toString('base64')],
    'x5t#S256': createHash('sha256').update(der(chain.leaf)).digest('base64url'),
  };
  const protectedHeader = Buffer.from(JSON.stringify(header)).toString('base64url');
  const signature = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, chain.leafKey, Buffer.from(`${protectedHeader}.${payload}`, 'utf8'));
  return { payload, signatures: [{ protected: protectedHeader, header: {}, signature: Buffer.from(signature).toString('base64url') }] };
}
