import type { AuthChecker } from 'type-graphql';
import { UnauthenticatedError, UnauthorizedError } from '../errors.js';
import type { IssuerRole, PrincipalKind, Viewer } from './viewer.js';

/** What every subgraph's GraphQL context carries, so one auth checker serves them all. */
export interface ViewerContext {
  viewer: Viewer;
}

/**
 * The one auth checker (type-graphql `@Authorized`). Roles are principal kinds: `@Authorized()` means any
 * signed-in principal, `@Authorized('ADMIN', 'ISSUER')` means one of those. ADMIN may do anything.
 * Which issuer a member may touch is decided next to the data, with `assertIssuerAccess`.
 */
export const authChecker: AuthChecker<ViewerContext, PrincipalKind> = ({ context }, roles) => {
  const { viewer } = context;
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind === 'ADMIN' || roles.length === 0) return true;
  return roles.includes(viewer.kind);
};

const ROLE_RANK: Record<IssuerRole, number> = { VIEWER: 0, ISSUER: 1, OWNER: 2 };

/** True when the viewer is an admin, or a member of this issuer with at least `minimumRole`. */
export function canActForIssuer(viewer: Viewer, issuerId: string, minimumRole: IssuerRole = 'VIEWER'): boolean {
  if (viewer.kind === 'ADMIN') return true;
  return viewer.kind === 'ISSUER' && viewer.issuerId === issuerId && ROLE_RANK[viewer.role] >= ROLE_RANK[minimumRole];
}

export function assertIssuerAccess(viewer: Viewer, issuerId: string, minimumRole: IssuerRole = 'VIEWER'): void {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (!canActForIssuer(viewer, issuerId, minimumRole)) {
    throw new UnauthorizedError(`This key may not act for issuer ${issuerId}${minimumRole === 'VIEWER' ? '' : ` as ${minimumRole}`}`);
  }
}

/**
 * Before any work on an issuance: the viewer may issue for some issuer at all (an admin, or a member with the ISSUER
 * role or more). Which issuer is checked once the achievement is known (`assertIssuerAccess`).
 */
export function assertMayIssue(viewer: Viewer): void {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind === 'ADMIN' || (viewer.kind === 'ISSUER' && ROLE_RANK[viewer.role] >= ROLE_RANK.ISSUER)) return;
  throw new UnauthorizedError('This key may not issue credentials');
}

export function assertAuthenticated(viewer: Viewer): asserts viewer is Exclude<Viewer, { kind: 'ANONYMOUS' }> {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
}
