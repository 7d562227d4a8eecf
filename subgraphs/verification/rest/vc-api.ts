import express, { Router, type Response } from 'express';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError } from '../../../lib/errors.js';
import type { VerificationResult } from '../../../lib/verify/types.js';
import type { VerificationsService } from '../services/verifications.js';

/**
 * The VC-API verifier's answer: `checks` lists what passed, `errors` what failed (with the reason), and Cairn's full
 * verdict rides along. 200 when verified, 400 otherwise, as the VC-API verifier test suites expect.
 */
function vcApiBody(result: VerificationResult) {
  return {
    verified: result.verified,
    status: result.status,
    checks: result.checks.filter((check) => check.passed).map((check) => check.name),
    warnings: result.issuer && !result.issuer.known ? [{ type: 'issuer', title: 'unknown issuer', detail: result.checks.find((check) => check.name === 'issuer')?.message }] : [],
    errors: result.checks.filter((check) => !check.passed && check.name !== 'issuer').map((check) => ({ type: check.name, title: `${check.name} check failed`, detail: check.message })),
    result,
  };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_USER_INPUT', 'The request body must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
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
    const options = (body.options ?? {}) as { recipientEmail?: unknown };
    const recipientEmail = typeof options.recipientEmail === 'string' ? options.recipientEmail : null;
    const { result } = await verifications.verifyCredential(viewer, typeof credential === 'string' ? { jwt: credential, recipientEmail } : { credential, recipientEmail });
    respond(res, result.verified, vcApiBody(result));
  });

  router.post('/presentations/verify', json, async (req, res) => {
    const viewer = res.locals.viewer as Viewer;
    const body = requireObject(req.body);
    if (body.verifiablePresentation === undefined) throw new AppError('BAD_USER_INPUT', 'verifiablePresentation is required', { field: 'verifiablePresentation' });
    const options = (body.options ?? {}) as { challenge?: unknown; domain?: unknown };
    const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
    const outcome = await verifications.verifyPresentation(viewer, body.verifiablePresentation, { challenge: text(options.challenge), domain: text(options.domain) });
    respond(res, outcome.verified, {
      verified: outcome.verified,
      holder: outcome.holder,
      checks: outcome.checks.filter((check) => check.passed).map((check) => check.name),
      errors: [
        ...outcome.checks.filter((check) => !check.passed).map((check) => ({ type: check.name, title: `presentation ${check.name} check failed`, detail: check.message })),
        ...outcome.credentials.flatMap((result, index) => (result.verified ? [] : [{ type: 'credential', title: `credential ${index + 1} is ${result.status}`, detail: vcApiBody(result).errors.map((error) => error.detail).join('; ') }])),
      ],
      presentationResult: { checks: outcome.checks },
      credentialResults: outcome.credentials.map(vcApiBody),
    });
  });
  return router;
}
