import type { Allowance } from '../rate-limit/allowance.js';

/** How loadConfig (env.ts) reads the values of some variables (pure). */

/** `perSecond` sustained, `burstSeconds` of it at once: a token bucket of `perSecond × burstSeconds`. */
export function withBurst(perSecond: number, burstSeconds: number): Allowance {
  return { count: perSecond * burstSeconds, periodSeconds: burstSeconds };
}

/** `https://portal.example` or `http://localhost:3000`, exactly as a browser sends it in `Origin`. */
export function isOrigin(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && /^https?:$/.test(url.protocol) && url.origin === value;
}

/** `https://hub.example/` and `https://hub.example` are one address. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A comma- or whitespace-separated list variable. */
export function listOf(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
