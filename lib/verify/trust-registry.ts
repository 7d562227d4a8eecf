/**
 * Operator trust lists: a registry is JSON, either `{ "name"?: string, "issuers": [{ "id": string, "name"?: string }
 * | string] }` or a plain array of issuer ids (DIDs or URLs). Pure parsing; loading (files, https) is the caller's.
 */
export interface TrustedIssuer {
  id: string;
  name: string | null;
  /** Where the operator's trust comes from: `configured` or the registry's name/location. */
  source: string;
}

export function parseTrustRegistry(json: unknown, location: string): TrustedIssuer[] {
  const object = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  const entries = Array.isArray(json) ? json : object && Array.isArray(object.issuers) ? object.issuers : null;
  if (!entries) throw new Error(`The trust registry ${location} is neither an array of issuer ids nor an object with "issuers"`);
  const source = object && typeof object.name === 'string' && object.name.trim() ? object.name.trim() : location;
  return entries.map((entry, position) => {
    if (typeof entry === 'string' && entry.trim()) return { id: entry.trim(), name: null, source };
    if (typeof entry === 'object' && entry !== null && typeof (entry as { id?: unknown }).id === 'string') {
      const { id, name } = entry as { id: string; name?: unknown };
      return { id: id.trim(), name: typeof name === 'string' ? name : null, source };
    }
    throw new Error(`Entry ${position + 1} of the trust registry ${location} has no issuer id`);
  });
}
