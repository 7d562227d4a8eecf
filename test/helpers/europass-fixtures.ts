import { readFileSync } from 'node:fs';

/** Published sealed EDCs under test/fixtures/europass/ (origins in SOURCES.md there). */
export const EC_MICROCREDENTIAL = 'Sample-MC-Annex1-signed.jsonld';
export const EC_CERTIFICATE_OF_PARTICIPATION = 'Sample-CertOfPart-signed.jsonld';
export const MYNEXTID_MICROCREDENTIAL = 'mynextid-edc-mc-signed.jsonld';

/** A sealed EDC as published: `{ payload, signatures }`, parsed afresh on every call. */
export function readSealedEdc(file: string): { payload: string; signatures: { protected: string; header?: Record<string, unknown>; signature: string }[] } {
  return JSON.parse(readFileSync(new URL(`../fixtures/europass/${file}`, import.meta.url), 'utf8'));
}

/** The EDC document inside a published sealed EDC. */
export function sealedEdcPayload(file: string): Record<string, any> {
  return JSON.parse(readSealedEdc(file).payload);
}
