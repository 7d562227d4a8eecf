import { PNG_SIGNATURE } from '../../../lib/badges/png-chunks.js';
import { findSvgRoot } from '../../../lib/badges/svg-markup.js';
import type { Logger } from '../../../lib/log.js';
import type { SafeFetch } from '../../../lib/net/types.js';

/** An achievement's artwork, ready to bake: a PNG, or SVG markup. */
export type BadgeArt = { kind: 'png'; bytes: Buffer } | { kind: 'svg'; markup: string };

/** Largest artwork accepted, fetched or inline: badge images are small; anything bigger is not one. */
const MAX_ART_BYTES = 1024 * 1024;
/** How long fetched artwork is reused, and how long a failure keeps the generated art before trying again. */
const ART_TTL_MS = 60 * 60_000;
const FAILURE_TTL_MS = 5 * 60_000;
const MAX_CACHED = 256;

/**
 * The artwork an achievement names in its `image`: a `data:` URI (decoded), or an https URL fetched through the
 * SSRF-safe fetch (public addresses only, size- and time-bounded), cached by URL. Anything that is not a PNG or an
 * SVG, or cannot be fetched, is null and the caller bakes the generated badge instead: a broken image link must never
 * cost a recipient their badge download.
 */
export function createBadgeArtSource(options: { fetch: SafeFetch; log: Logger; now?: () => number }) {
  const { fetch, log, now = Date.now } = options;
  const cache = new Map<string, { art: Promise<BadgeArt | null>; expiresAt: number }>();

  async function fetchArt(url: string): Promise<BadgeArt | null> {
    try {
      const fetched = await fetch(url, { accept: 'image/png, image/svg+xml', maxBytes: MAX_ART_BYTES });
      return artOf(fetched.body);
    } catch (error) {
      log.warn({ url, err: error }, 'achievement image could not be fetched; the generated badge is used');
      return null;
    }
  }

  return {
    async artFor(imageUrl: string | null | undefined): Promise<BadgeArt | null> {
      if (!imageUrl) return null;
      if (imageUrl.startsWith('data:')) return artOf(decodeDataUri(imageUrl));
      if (!imageUrl.startsWith('https://') && !imageUrl.startsWith('http://')) return null;
      const cached = cache.get(imageUrl);
      if (cached && cached.expiresAt > now()) return cached.art;
      const art = fetchArt(imageUrl);
      cache.delete(imageUrl);
      cache.set(imageUrl, { art, expiresAt: now() + ART_TTL_MS });
      void art.then((result) => result === null && cache.set(imageUrl, { art, expiresAt: now() + FAILURE_TTL_MS }));
      while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
      return art;
    },
  };
}

export type BadgeArtSource = ReturnType<typeof createBadgeArtSource>;

/** PNG by its signature, SVG by a parseable `<svg>` root; anything else (HTML error pages, JPEG, junk) is refused. */
export function artOf(bytes: Buffer | null): BadgeArt | null {
  if (!bytes || bytes.length === 0 || bytes.length > MAX_ART_BYTES) return null;
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return { kind: 'png', bytes };
  const markup = bytes.toString('utf8');
  try {
    findSvgRoot(markup);
    return { kind: 'svg', markup };
  } catch {
    return null;
  }
}

/** The bytes of a `data:` URI (base64 or percent-encoded), or null when it is malformed. */
function decodeDataUri(uri: string): Buffer | null {
  const comma = uri.indexOf(',');
  if (comma === -1) return null;
  const meta = uri.slice(5, comma);
  const data = uri.slice(comma + 1);
  try {
    return meta.endsWith(';base64') ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
  } catch {
    return null;
  }
}

/** A PNG as SVG markup (an embedded image), so PNG artwork can be baked into an SVG badge too. */
export function pngAsSvg(png: Buffer, width = 512): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${width}" viewBox="0 0 ${width} ${width}"><image width="${width}" height="${width}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
}
