import jsigs from 'jsonld-signatures';
import { asArray, contextProblem, isObject } from './credential-checks.js';
import { judgeCheck, type CheckReport, type VerificationCheck, type VerificationResult } from './types.js';
import type { CredentialVerifier } from './verify-credential.js';

export interface PresentationVerification {
  /** The presentation's proof verified for this challenge and domain, and every credential in it VALID. */
  verified: boolean;
  /** Checks on the presentation itself: format, then the holder's proof. */
  checks: VerificationCheck[];
  holder: string | null;
  credentials: VerificationResult[];
}

/**
 * Verifies a VerifiablePresentation as a relying party: the holder's proof must be an `authentication` proof over
 * exactly the challenge (and domain) the verifier issued, by a key the holder controls, so a presentation captured
 * elsewhere cannot be replayed; then each credential inside is verified on its own.
 */
export async function verifyPresentation(
  verifier: CredentialVerifier,
  presentation: unknown,
  options: { challenge?: string | null; domain?: string | null },
): Promise<PresentationVerification> {
  if (!isObject(presentation)) return refused('The presentation is not a JSON object');
  const format = presentationFormatCheck(presentation);
  if (!format.passed) return { verified: false, checks: [judgeCheck(format)], holder: null, credentials: [] };
  const holder = typeof presentation.holder === 'string' ? presentation.holder : isObject(presentation.holder) && typeof presentation.holder.id === 'string' ? presentation.holder.id : null;

  const proof = await holderProofCheck(verifier, presentation, holder, options);
  const credentials = await Promise.all(
    asArray(presentation.verifiableCredential).map((credential) =>
      typeof credential === 'string' ? verifier.verify({ jwt: credential }) : verifier.verify({ credential }),
    ),
  );
  const verified = proof.passed && credentials.every((credential) => credential.verified);
  return { verified, checks: [format, proof].map(judgeCheck), holder, credentials };
}

function presentationFormatCheck(presentation: Record<string, unknown>): CheckReport {
  const problem = contextProblem(presentation, 'presentation');
  if (problem) return { name: 'format', passed: false, message: problem };
  if (!asArray(presentation.type).includes('VerifiablePresentation')) return { name: 'format', passed: false, message: 'type must include VerifiablePresentation' };
  return { name: 'format', passed: true, message: `A well-formed presentation of ${asArray(presentation.verifiableCredential).length} credential(s)` };
}

async function holderProofCheck(
  verifier: CredentialVerifier,
  presentation: Record<string, unknown>,
  holder: string | null,
  options: { challenge?: string | null; domain?: string | null },
): Promise<CheckReport> {
  if (presentation.proof === undefined) return { name: 'proof', passed: false, message: 'The presentation has no proof, so its holder is not authenticated' };
  if (!options.challenge) return { name: 'proof', passed: false, message: 'A challenge is required to verify a presentation (options.challenge): without one it could be a replay' };
  const { challenge, domain } = options;
  const outcomes = await verifier.proofs.verifyAll(presentation, () => new jsigs.purposes.AuthenticationProofPurpose({ challenge, ...(domain ? { domain } : {}) }));
  const failed = outcomes.find((outcome) => !outcome.verified);
  if (outcomes.length === 0 || failed) {
    return { name: 'proof', passed: false, message: `The holder's proof does not verify for challenge "${challenge}"${domain ? ` and domain "${domain}"` : ''}: ${failed?.reason ?? 'no proof'}` };
  }
  const foreign = outcomes.find((outcome) => holder !== null && outcome.controller !== holder);
  if (foreign) return { name: 'proof', passed: false, message: `The presentation is signed by ${foreign.controller ?? 'an unknown controller'}, not by its holder ${holder}` };
  return { name: 'proof', passed: true, message: `Signed by ${outcomes[0]!.controller ?? 'the holder'} for this challenge${domain ? ' and domain' : ''}` };
}

function refused(message: string): PresentationVerification {
  return { verified: false, checks: [judgeCheck({ name: 'format', passed: false, message })], holder: null, credentials: [] };
}
