import express, { Router, type Response } from 'express';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError } from '../../../lib/errors.js';
import type { VerificationCheck, VerificationResult } from '../../../lib/verify/types.js';
import type { VerificationsService } from '../services/verifications.js';

/**
 * The VC-API verifier's answer, from the check outcomes: `checks` names the checks that PASSED, `warnings` those that
 * only warn, `errors` those that FAILED (with the reason); SKIPPED checks are in none of them. `verified` is true
 * exactly when `errors` is empty. Cairn's full verdict rides along. 200 when verified, 400 otherwise, as the VC-API
 * verifier test suites expect.
 */
function vcApiBody(result: VerificationResult) {
  const withOutcome = (outcome: VerificationCheck['outcome']) => result.checks.filter((check) => check.outcome === outcome);
  return {
    verified: result.verified,
    status: result.status,
    checks: withOutcome('PASSED').map((check) => check.name),
    warnings: withOutcome('WARNING').map((check) => ({ type: check.name, title: `${check.name} check warns`, detail: check.message })),
    errors: withOutcome('FAILED').map((check) => ({ type: check.name, title: `${check.name} check failed`, detail: check.message })),
    result,
  };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_USER_INPUT', 'The request body must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
}

/** VCDM 2.0 §4.13: a presentation has a type, a holder that is a URL (or an object whose id is one), and credentials that are objects. */
function presentationShapeProblem(presentation: unknown): string | null {
  if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) return 'verifiablePresentation is not a map (a JSON object)';
  const { type, holder, verifiableCredential } = presentation as Record<string, unknown>;
  if (type === undefined) return 'verifiablePresentation has no type (VCDM 2.0 §4.13: "The type property MUST be present")';
  const holderId = holder !== null && typeof holder === 'object' && !Array.isArray(holder) ? (holder as { id?: unknown }).id : holder;
  if (holder !== undefined && (typeof holderId !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(holderId))) return 'the presentation holder must be a URL or an object whose id is a URL (VCDM 2.0 §4.13)';
  const credentials = verifiableCredential === undefined ? [] : Array.isArray(verifiableCredential) ? verifiableCredential : [verifiableCredential];
  if (credentials.some((entry) => !entry || typeof entry !== 'object' || Array.isArray(entry))) {
    return 'every verifiableCredential of a presentation must be an object (a VC-JWT goes in an EnvelopedVerifiableCredential; VCDM 2.0 §4.13)';
  }
  return null;
}

function respond(res: Response, verified: boolean, body: unknown) {
  res.status(verified ? 200 : 400).type('application/json').send(JSON.stringify(body));
}

/** W3C VC-API verifier endpoints: `POST /credentials/verify` and `POST /presentations/verify`. Public, like GraphQL verifyCredential. */
export function createVerifierRoutes({ verifications, maxBodyBytes }: { verifications: VerificationsService; maxBodyBytes: number }): Router {
  const router = Router();
  const json = express.json({ limit: maxBodyBytes });

  router.post('/credentials/verify', json, async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const body = requireObject(req.body);
    const credential = body.verifiableCredential;
    if (credential === undefined || credential === null) throw new AppError('BAD_USER_INPUT', 'verifiableCredential is required', { field: 'verifiableCredential' });
    // Data Integrity §4.x: what is verified must be a map. A VC-JWT comes as an EnvelopedVerifiableCredential (VCDM 2.0 §4.13).
    if (typeof credential !== 'object' || Array.isArray(credential)) {
      throw new AppError('BAD_USER_INPUT', 'verifiableCredential is not a map (a JSON object); send a VC-JWT as an EnvelopedVerifiableCredential', { field: 'verifiableCredential' });
    }
    const options = (body.options ?? {}) as { recipientEmail?: unknown };
    const recipientEmail = typeof options.recipientEmail === 'string' ? options.recipientEmail : null;
    const { result } = await verifications.verifyCredential(viewer, { credential, recipientEmail }, 'VC_API');
    respond(res, result.verified, vcApiBody(result));
  });

  router.post('/presentations/verify', json, async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const body = requireObject(req.body);
    if (body.verifiablePresentation === undefined) throw new AppError('BAD_USER_INPUT', 'verifiablePresentation is required', { field: 'verifiablePresentation' });
    const malformed = presentationShapeProblem(body.verifiablePresentation);
    if (malformed) throw new AppError('BAD_USER_INPUT', malformed, { field: 'verifiablePresentation' });
    const options = (body.options ?? {}) as { challenge?: unknown; domain?: unknown };
    const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
    const outcome = await verifications.verifyPresentation(viewer, body.verifiablePresentation, { challenge: text(options.challenge), domain: text(options.domain) });
    respond(res, outcome.verified, {
      verified: outcome.verified,
      holder: outcome.holder,
      checks: outcome.checks.filter((check) => check.outcome === 'PASSED').map((check) => check.name),
      errors: [
        ...outcome.checks.filter((check) => check.outcome === 'FAILED').map((check) => ({ type: check.name, title: `presentation ${check.name} check failed`, detail: check.message })),
        ...outcome.credentials.flatMap((result, index) => (result.verified ? [] : [{ type: 'credential', title: `credential ${index + 1} is ${result.status}`, detail: vcApiBody(result).errors.map((error) => error.detail).join('; ') }])),
      ],
      presentationResult: { checks: outcome.checks },
      credentialResults: outcome.credentials.map(vcApiBody),
    });
  });
  return router;
}
