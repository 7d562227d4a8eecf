import { LRUCache } from 'lru-cache';
import { Bitstring, decodeList, parseStatusListIndex } from '../status/bitstring.js';
import { asArray, isObject, issuerIdOf, parseDate } from './credential-checks.js';
import { errorMessage } from './messages.js';
import { proofCheck, type ProofOutcome } from './proofs.js';
import type { CheckReport } from './types.js';

type Json = Record<string, unknown>;

/** Entry and list types this checker reads: Bitstring Status List (VC 2.0) and its predecessor StatusList2021. */
const LIST_KINDS = {
  BitstringStatusListEntry: { credentialType: 'BitstringStatusListCredential', subjectType: 'BitstringStatusList', enforceMinimum: true },
  StatusList2021Entry: { credentialType: 'StatusList2021Credential', subjectType: 'StatusList2021', enforceMinimum: false },
} as const;
type ListKind = (typeof LIST_KINDS)[keyof typeof LIST_KINDS];

/** A list is re-read after its own `ttl` (milliseconds, per the spec), within these bounds; 5 minutes without one. */
const DEFAULT_TTL_MS = 5 * 60_000;
const MIN_TTL_MS = 10_000;
const MAX_TTL_MS = 24 * 60 * 60_000;
/** A list that could not be read is not asked for again at once (but the answer stays STATUS_UNKNOWN). */
const FAILURE_TTL_MS = 15_000;

export interface StatusCheckerOptions {
  /** Fetches a status list credential as JSON (SSRF-safe fetch, or this hub's own lists locally). Throws when it cannot. */
  loadList: (url: string) => Promise<Json>;
  /** Verifies each embedded proof of the list credential (the same proof verifier the credential goes through). */
  verifyProofs: (document: Json) => Promise<ProofOutcome[]>;
  now?: () => number;
  maxCachedLists?: number;
}

export interface StatusVerdict {
  check: CheckReport;
  status: 'REVOKED' | 'SUSPENDED' | 'STATUS_UNKNOWN' | null;
  /** When a cached list the verdict rests on expires: the verdict may change from then on. */
  recheckAfter: Date | null;
}

interface ReadList {
  bits: Bitstring | null;
  purposes: string[];
  failure: string | null;
  expiresAt: number;
}

/**
 * Reads a credential's status from its list(s) itself: @digitalbazaar/vc-bitstring-status-list reports a revoked
 * credential as verified, and rejects lists whose issuer differs from the credential's. Lists are verified (their own
 * proofs, by their own issuer's key), cached by URL for their TTL, and any list that cannot be fetched or verified
 * makes the verdict STATUS_UNKNOWN, never VALID.
 */
export function createStatusChecker(options: StatusCheckerOptions) {
  const { loadList, verifyProofs, now = Date.now, maxCachedLists = 1_000 } = options;
  // One read per list however many verifications ask at once (the read in flight is shared); expiry runs on `now`.
  const cache = new LRUCache<string, ReadList, { kind: ListKind }>({
    max: maxCachedLists,
    fetchMethod: (url, _stale, { context }) => readList(url, context.kind),
    // clear() during a read must not fail the verifications waiting on it; the list is just not kept.
    ignoreFetchAbort: true,
  });

  async function readList(url: string, kind: ListKind): Promise<ReadList> {
    const started = now();
    const failed = (failure: string): ReadList => ({ bits: null, purposes: [], failure, expiresAt: started + FAILURE_TTL_MS });
    let list: Json;
    try {
      list = await loadList(url);
    } catch (error) {
      return failed(`the status list ${url} could not be retrieved (${errorMessage(error)})`);
    }
    if (!asArray(list.type).includes(kind.credentialType)) return failed(`${url} is not a ${kind.credentialType}`);
    const subject = asArray(list.credentialSubject).find(isObject);
    if (!subject || subject.type !== kind.subjectType || typeof subject.encodedList !== 'string') {
      return failed(`${url} has no ${kind.subjectType} subject with an encodedList`);
    }
    const listValidUntil = parseDate(list.validUntil ?? list.expirationDate);
    if (listValidUntil && listValidUntil.getTime() < started) return failed(`the status list ${url} expired on ${listValidUntil.toISOString()}`);
    const proof = proofCheck(await verifyProofs(list), issuerIdOf(list));
    if (!proof.passed) return failed(`the status list ${url} is not authentic: ${proof.message}`);
    let bits: Bitstring;
    try {
      bits = decodeList(subject.encodedList, { enforceMinimumLength: kind.enforceMinimum });
    } catch (error) {
      return failed(`the status list ${url} is unusable: ${errorMessage(error)}`);
    }
    const ttl = typeof subject.ttl === 'number' && Number.isFinite(subject.ttl) ? Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, subject.ttl)) : DEFAULT_TTL_MS;
    const purposes = asArray(subject.statusPurpose).filter((purpose): purpose is string => typeof purpose === 'string');
    return { bits, purposes, failure: null, expiresAt: started + ttl };
  }

  /** The list at `url`, cached until it expires; a list that could not be read is cached too, briefly. */
  async function cachedList(url: string, kind: ListKind): Promise<ReadList> {
    const held = cache.get(url);
    return (await cache.fetch(url, { context: { kind }, forceRefresh: !held || held.expiresAt <= now() }))!;
  }

  async function checkEntry(entry: unknown): Promise<{ outcome: 'VALID' | 'REVOKED' | 'SUSPENDED' | 'UNKNOWN'; message: string; expiresAt: number | null }> {
    if (!isObject(entry)) return { outcome: 'UNKNOWN', message: 'a credentialStatus entry is not an object', expiresAt: null };
    const type = typeof entry.type === 'string' ? entry.type : String(entry.type);
    const kind = LIST_KINDS[type as keyof typeof LIST_KINDS];
    if (!kind) return { outcome: 'UNKNOWN', message: `the status method ${type} is not supported`, expiresAt: null };
    const url = entry.statusListCredential;
    if (typeof url !== 'string') return { outcome: 'UNKNOWN', message: `the ${type} has no statusListCredential URL`, expiresAt: null };
    const purpose = typeof entry.statusPurpose === 'string' ? entry.statusPurpose : null;
    let index: number;
    try {
      index = parseStatusListIndex(entry.statusListIndex);
    } catch (error) {
      return { outcome: 'UNKNOWN', message: errorMessage(error), expiresAt: null };
    }
    const size = entry.statusSize === undefined ? 1 : Number(entry.statusSize);
    if (!Number.isSafeInteger(size) || size < 1 || size > 8) return { outcome: 'UNKNOWN', message: `statusSize ${String(entry.statusSize)} is not supported`, expiresAt: null };

    const list = await cachedList(url, kind);
    if (!list.bits) return { outcome: 'UNKNOWN', message: list.failure!, expiresAt: null };
    if (!purpose || !list.purposes.includes(purpose)) {
      return { outcome: 'UNKNOWN', message: `the entry's purpose ${purpose ?? '(none)'} is not a purpose of ${url} (${list.purposes.join(', ')})`, expiresAt: null };
    }
    if ((index + 1) * size > list.bits.length) {
      return { outcome: 'UNKNOWN', message: `statusListIndex ${index} is outside ${url}, which has ${list.bits.length / size} entries`, expiresAt: null };
    }
    let value = 0;
    for (let bit = 0; bit < size; bit += 1) value = (value << 1) | (list.bits.get(index * size + bit) ? 1 : 0);
    const at = `index ${index} of ${url}`;
    if (value === 0) return { outcome: 'VALID', message: `not ${purpose === 'suspension' ? 'suspended' : purpose === 'revocation' ? 'revoked' : `flagged (${purpose})`} (${at})`, expiresAt: list.expiresAt };
    if (purpose === 'revocation') return { outcome: 'REVOKED', message: `revoked (${at})`, expiresAt: list.expiresAt };
    if (purpose === 'suspension') return { outcome: 'SUSPENDED', message: `suspended (${at})`, expiresAt: list.expiresAt };
    // message/refresh purposes carry information, not a verdict: report the status message the issuer attached.
    const statusMessage = asArray(entry.statusMessage).filter(isObject).find((item) => Number.parseInt(String(item.status), 16) === value);
    return { outcome: 'VALID', message: `${purpose} status 0x${value.toString(16)}${statusMessage ? ` "${String(statusMessage.message)}"` : ''} (${at})`, expiresAt: list.expiresAt };
  }

  return {
    /** The status check of a credential: every entry is read; the worst outcome wins (revoked over suspended over unknown). */
    async check(credential: Json): Promise<StatusVerdict> {
      const entries = asArray(credential.credentialStatus);
      if (entries.length === 0) return { check: { name: 'status', passed: true, outcome: 'SKIPPED', message: 'The credential has no status entry: it cannot be revoked' }, status: null, recheckAfter: null };
      const results = await Promise.all(entries.map(checkEntry));
      const expiries = results.map((result) => result.expiresAt).filter((at): at is number => at !== null);
      const recheckAfter = expiries.length ? new Date(Math.min(...expiries)) : null;
      const message = results.map((result) => result.message).join('; ');
      const worst = (['REVOKED', 'SUSPENDED', 'UNKNOWN'] as const).find((outcome) => results.some((result) => result.outcome === outcome));
      if (!worst) return { check: { name: 'status', passed: true, message: capitalise(message) }, status: null, recheckAfter };
      const reason = results.filter((result) => result.outcome === worst).map((result) => result.message).join('; ');
      const status = worst === 'UNKNOWN' ? 'STATUS_UNKNOWN' : worst;
      const lead = worst === 'UNKNOWN' ? 'The status could not be checked: ' : 'The credential is ';
      return { check: { name: 'status', passed: false, message: `${lead}${reason}` }, status, recheckAfter };
    },
    /** Forgets every cached list (tests, and an operator who knows a list changed). */
    clear(): void {
      cache.clear();
    },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
