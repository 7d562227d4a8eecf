import express, { Router, type Request } from 'express';
import type { CredentialRow, CredentialFormatValue } from '../db/tables.js';
import type { ObApiStore } from '../db/ob-api-store.js';
import { obProfileOf, profileChange } from '../domain/ob-profile.js';
import type { IdentityService } from '../services/identity.js';
import type { WalletService } from '../services/wallet.js';
import type { BearerCheck } from './bearer.js';
import { OB_API_PATH, OB_SCOPES } from './constants.js';
import { serviceDescription } from './discovery.js';
import { ImsxError } from './imsx.js';

/** @default 100 // a page when the client names no limit */
const DEFAULT_LIMIT = 100;
/** @default 1000 // larger limits are lowered to this; the Link headers lead to the rest */
const MAX_LIMIT = 1000;
/** OB 3.0 credentials in the forms the API returns; OB 2.0 assertions in the wallet are not AchievementCredentials. */
const OB3_FORMATS: readonly CredentialFormatValue[] = ['VC_2_0', 'VC_1_1', 'VC_JWT'];

const JSON_TYPES = ['application/json', 'application/vc+ld+json', 'application/ld+json', 'application/vc'];
const JWS_TYPES = ['text/plain', 'application/vc+jwt', 'application/jwt'];

export interface ResourceRouteDeps {
  publicBaseUrl: string;
  maxBodyBytes: number;
  recipientFor: BearerCheck;
  obApiStore: ObApiStore;
  /** Profile changes go through the identity service, credential upserts through the wallet's own import. */
  identity: IdentityService;
  wallet: WalletService;
}

function queryInteger(req: Request, name: string, fallback: number, minimum: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum) throw new ImsxError(400, 'invalid_query_parameter', `${name} must be an integer of at least ${minimum}`);
  return value;
}

function querySince(req: Request): Date | null {
  const raw = req.query.since;
  if (raw === undefined) return null;
  const since = typeof raw === 'string' && /T.*(Z|[+-]\d\d:\d\d)$/.test(raw) ? new Date(raw) : new Date(Number.NaN);
  if (Number.isNaN(since.getTime())) throw new ImsxError(400, 'invalid_query_parameter', 'since must be a date-time with a time zone, e.g. 2026-01-01T00:00:00Z');
  return since;
}

/** RFC 8288 `Link` header with first, last, prev and next pages, as the OB API's paging asks. */
export function pagingLinks(base: string, page: { limit: number; offset: number; total: number; since: string | null }): string {
  const url = (offset: number) => `<${base}?limit=${page.limit}&offset=${offset}${page.since ? `&since=${encodeURIComponent(page.since)}` : ''}>`;
  const last = page.total === 0 ? 0 : Math.floor((page.total - 1) / page.limit) * page.limit;
  const links = [`${url(0)}; rel="first"`, `${url(last)}; rel="last"`];
  if (page.offset > 0) links.push(`${url(Math.max(0, page.offset - page.limit))}; rel="prev"`);
  if (page.offset + page.limit < page.total) links.push(`${url(page.offset + page.limit)}; rel="next"`);
  return links.join(', ');
}

/** A VC-JWT goes back as the compact JWS it arrived as (its signature covers those bytes); the rest as JSON. */
function isCompactJws(row: CredentialRow): row is CredentialRow & { encoded: string } {
  return row.format === 'VC_JWT' && typeof row.encoded === 'string';
}

/**
 * `GET/POST /credentials`, `GET/PUT /profile` and `GET /discovery` of the 1EdTech Open Badges 3.0 API. Each
 * endpoint needs an access token with its scope and acts on the token's recipient only. Upserts go through the
 * wallet's own import (verification, OB equality rule, CredentialImported), so the API and GraphQL
 * `importCredential` never disagree on what a wallet accepts.
 */
export function createResourceRoutes(deps: ResourceRouteDeps): Router {
  const { recipientFor, obApiStore } = deps;
  const router = Router();
  const credentialsUrl = `${deps.publicBaseUrl}${OB_API_PATH}/credentials`;

  router.get('/discovery', (_req, res) => {
    res.json(serviceDescription(deps.publicBaseUrl));
  });

  router.get('/credentials', async (req, res) => {
    const recipientId = await recipientFor(req, OB_SCOPES.credentialReadonly);
    const limit = Math.min(queryInteger(req, 'limit', DEFAULT_LIMIT, 1), MAX_LIMIT);
    const offset = queryInteger(req, 'offset', 0, 0);
    const since = querySince(req);
    const page = await obApiStore.pageWallet(recipientId, { limit, offset, since, formats: OB3_FORMATS });
    const jws = page.rows.filter(isCompactJws).map((row) => row.encoded);
    const json = page.rows.filter((row) => !isCompactJws(row)).map((row) => row.document);
    res.set('X-Total-Count', String(page.totalCount));
    res.set('Link', pagingLinks(credentialsUrl, { limit, offset, total: page.totalCount, since: since ? String(req.query.since) : null }));
    // The OB JSON rules omit empty arrays.
    res.json({ ...(json.length > 0 ? { credential: json } : {}), ...(jws.length > 0 ? { compactJwsString: jws } : {}) });
  });

  router.post(
    '/credentials',
    express.json({ type: JSON_TYPES, limit: deps.maxBodyBytes }),
    express.text({ type: JWS_TYPES, limit: deps.maxBodyBytes }),
    async (req, res) => {
      const recipientId = await recipientFor(req, OB_SCOPES.credentialUpsert);
      const body: unknown = req.body;
      const isJws = typeof body === 'string';
      if (!isJws && (!body || typeof body !== 'object' || Array.isArray(body))) {
        throw new ImsxError(400, 'invalid_data', 'Send one credential: JSON (application/json or application/vc+ld+json) or a compact JWS (text/plain)');
      }
      const imported = await deps.wallet.importCredential(recipientId, isJws ? { jwt: body.trim() } : { credential: body });
      // 201 for a new wallet entry; 200 when an equal credential (OB equality rule) was replaced or is already held.
      res.status(imported.outcome === 'NEW' ? 201 : 200);
      if (isCompactJws(imported.credential)) res.type('text/plain').send(imported.credential.encoded);
      else res.json(imported.credential.document);
    },
  );

  router.get('/profile', async (req, res) => {
    const recipientId = await recipientFor(req, OB_SCOPES.profileReadonly);
    res.json(await currentProfile(obApiStore, recipientId));
  });

  router.put('/profile', express.json({ type: JSON_TYPES, limit: deps.maxBodyBytes }), async (req, res) => {
    const recipientId = await recipientFor(req, OB_SCOPES.profileUpdate);
    const stored = await obApiStore.findProfile(recipientId);
    if (!stored) throw new ImsxError(404, 'not_found', 'The recipient was not found');
    const emails = stored.emails.map((identity) => identity.value);
    const change = profileChange(obProfileOf(stored.recipient, emails), emails, req.body);
    if (change) await deps.identity.renameRecipient(recipientId, change.name);
    res.json(await currentProfile(obApiStore, recipientId));
  });

  return router;
}

async function currentProfile(obApiStore: ObApiStore, recipientId: string) {
  const stored = await obApiStore.findProfile(recipientId);
  if (!stored) throw new ImsxError(404, 'not_found', 'The recipient was not found');
  return obProfileOf(stored.recipient, stored.emails.map((identity) => identity.value));
}
