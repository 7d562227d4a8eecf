import { createHmac, timingSafeEqual } from 'node:crypto';

export const ISSUER_ROLES = ['OWNER', 'ISSUER', 'VIEWER'] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];

export const PRINCIPAL_KINDS = ['ADMIN', 'ISSUER', 'EMPLOYER', 'RECIPIENT'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Who is asking. Built by the gateway from an API key, carried to subgraphs in a signed header. */
export type Viewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'ADMIN'; apiKeyId: string }
  | { kind: 'ISSUER'; apiKeyId: string; issuerId: string; role: IssuerRole }
  | { kind: 'EMPLOYER'; apiKeyId: string; employerId: string }
  | { kind: 'RECIPIENT'; apiKeyId: string; recipientId: string };

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'ANONYMOUS' });

/** Who a viewer is, as events record it (who verified, who viewed a share): the principal kind and its id, if any. */
export function viewerIdentity(viewer: Viewer): { kind: Viewer['kind']; id: string | null } {
  switch (viewer.kind) {
    case 'EMPLOYER':
      return { kind: viewer.kind, id: viewer.employerId };
    case 'ISSUER':
      return { kind: viewer.kind, id: viewer.issuerId };
    case 'RECIPIENT':
      return { kind: viewer.kind, id: viewer.recipientId };
    default:
      return { kind: viewer.kind, id: null };
  }
}

/** The header (HTTP) and connection parameter (graphql-ws) that carry the signed viewer to a subgraph. */
export const VIEWER_HEADER = 'x-cairn-viewer';

/** @default 300 // seconds a signed viewer stays valid: long enough for a slow query, short enough to limit replay */
const DEFAULT_TTL_SECONDS = 300;

export class ViewerSignatureError extends Error {}

const toBase64Url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** What a subgraph learns from a signed viewer: who asks, and from which address the gateway saw the request come. */
export interface SignedCaller {
  viewer: Viewer;
  /**
   * The client's IP as the gateway decided it (TRUST_PROXY_HOPS), signed with the viewer so a subgraph's per-IP
   * limits (sign-in codes, OAuth) need not believe a header anyone could write. Null when the signer named none
   * (callers inside the hub).
   */
  clientAddress: string | null;
  /**
   * The operation is one of the hub's own pages reading on the visitor's behalf (a person looking at a credential's
   * page), not a party checking a credential: what it reads is not recorded as a verification.
   */
  pageView: boolean;
}

/** `v1.<base64url(JSON {viewer, exp, ip?, page?})>.<base64url(HMAC-SHA256)>` */
export function signViewer(
  viewer: Viewer,
  secret: string,
  options: { clientAddress?: string; pageView?: boolean; now?: number; ttlSeconds?: number } = {},
): string {
  const exp = Math.floor((options.now ?? Date.now()) / 1000) + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  const body = toBase64Url(JSON.stringify({ viewer, exp, ...(options.clientAddress ? { ip: options.clientAddress } : {}), ...(options.pageView ? { page: true } : {}) }));
  return `v1.${body}.${toBase64Url(mac(secret, body))}`;
}

/** Throws ViewerSignatureError on anything but a well-formed, correctly signed, unexpired header. */
export function verifySignedCaller(header: string | undefined | null, secret: string, now = Date.now()): SignedCaller {
  if (!header) throw new ViewerSignatureError('missing signed viewer');
  const [version, body, signature] = header.split('.');
  if (version !== 'v1' || !body || !signature) throw new ViewerSignatureError('malformed signed viewer');
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ViewerSignatureError('viewer signature does not match');
  }
  const { viewer, exp, ip, page } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { viewer: Viewer; exp: number; ip?: unknown; page?: unknown };
  if (typeof exp !== 'number' || exp * 1000 < now) throw new ViewerSignatureError('signed viewer has expired');
  return { viewer, clientAddress: typeof ip === 'string' ? ip : null, pageView: page === true };
}
