import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { careerEventRecordedEvent, type CareerEventType } from '../../../lib/events/contracts/career-event-recorded.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { isUuid, newId } from '../../../lib/ids.js';
import { activeMetricGeneration } from '../db/metrics-projection.js';
import type { MetricsStore } from '../db/metrics-store.js';
import { careerImpact, checkPeriod, periodOf, periodStarts, proportion, summariseDailyCounts, type MetricsInterval, type MetricsScope } from '../domain/metrics.js';

export interface MetricsRequest {
  scope: MetricsScope;
  from: Date;
  to: Date;
  interval: MetricsInterval;
}

/** Why a pathway completion rate is withheld: nobody started in the period (PathwayStarted), so it would divide by zero. */
export const NO_PATHWAY_STARTS = 'Nobody started a pathway of this scope in the period: there is no completion rate to give.';

/**
 * Program metrics read from the projections (docs/metrics.md), for the issuer's members and operators only, and the
 * career events behind the career-impact metric.
 */
export function createMetricsService(deps: { db: Db; store: MetricsStore; now?: () => Date }) {
  const { db, store } = deps;
  const now = deps.now ?? (() => new Date());

  /** The issuer a scope belongs to, once the viewer may read it. An unknown achievement or pathway is NOT_FOUND. */
  async function authorise(viewer: Viewer, generation: number, scope: MetricsScope): Promise<string> {
    if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const issuerId =
      scope.kind === 'ISSUER'
        ? scope.id
        : scope.kind === 'ACHIEVEMENT'
          ? await store.issuerOfAchievement(generation, scope.id)
          : await store.issuerOfPathway(generation, scope.id);
    if (!issuerId) throw new NotFoundError(scope.kind === 'ACHIEVEMENT' ? 'Achievement' : 'Pathway', scope.id);
    assertIssuerAccess(viewer, issuerId);
    return issuerId;
  }

  return {
    /** The issuer a scope belongs to, if the viewer may read its metrics (else UNAUTHENTICATED, UNAUTHORIZED or NOT_FOUND). */
    async authorisedIssuer(viewer: Viewer, scope: MetricsScope): Promise<string> {
      return authorise(viewer, await activeMetricGeneration(db), scope);
    },

    async metrics(viewer: Viewer, request: MetricsRequest) {
      const { scope, interval } = request;
      // Whole UTC days, as the definitions count (and the cohort cells are summed by day).
      const { from, to } = periodOf(request);
      checkPeriod(from, to);
      const generation = await activeMetricGeneration(db);
      const issuerId = await authorise(viewer, generation, scope);
      // The reads are independent: side by side, a request waits for the slowest, not for their sum.
      const [pathways, rows, cohort] = await Promise.all([
        store.pathwayProgress(generation, scope.kind === 'PATHWAY' ? scope : { kind: 'ISSUER', id: issuerId }, from, to),
        scope.kind === 'PATHWAY' ? null : store.dailyCounts(generation, scope, from, to, interval),
        scope.kind === 'PATHWAY' ? null : store.credentialCohort(generation, scope, from, to),
      ]);
      const pathwayCompletion = {
        started: pathways.started,
        completed: pathways.completed,
        rate: pathways.started === 0 ? null : proportion(pathways.completed, pathways.started),
        medianDaysToComplete: pathways.medianDays,
        unavailableReason: pathways.started === 0 ? NO_PATHWAY_STARTS : null,
      };
      if (scope.kind === 'PATHWAY' || !rows || !cohort) {
        return { scope, issuerId, from, to, interval, generation, pathwayCompletion, counts: null, cohort: null, careerScope: null };
      }
      const counts = summariseDailyCounts(rows, periodStarts(from, to, interval));
      const updatedAt = rows.reduce<Date | null>((latest, row) => (row.updatedAt && (!latest || row.updatedAt > latest) ? row.updatedAt : latest), null);
      return { scope, issuerId, from, to, interval, generation, pathwayCompletion, counts: { ...counts, updatedAt }, cohort, careerScope: scope };
    },

    /** The all-time counters `Issuer.metrics` had before periods (deprecated there), for its members and operators. */
    async allTimeCounters(viewer: Viewer, issuerId: string) {
      assertIssuerAccess(viewer, issuerId);
      const counts = await store.allTimeCounts(await activeMetricGeneration(db), issuerId.toLowerCase());
      const count = (kind: string) => counts.get(kind) ?? 0;
      return { achievementsCreated: count('ACHIEVEMENT_CREATED'), credentialsIssued: count('ISSUED'), credentialsRevoked: count('REVOKED'), credentialsVerified: count('VERIFIED') };
    },

    /** Career mobility around earning the scope's credentials in [from, to), looked at `windowMonths` either side. */
    async careerImpact(generation: number, scope: { kind: 'ISSUER' | 'ACHIEVEMENT'; id: string }, issuerId: string, from: Date, to: Date, windowMonths: number) {
      if (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > 60) {
        throw new AppError('BAD_USER_INPUT', 'windowMonths is a whole number of months from 1 to 60', { argument: 'windowMonths' });
      }
      const [earners, nonEarners] = await Promise.all([store.earners(generation, scope, from, to), store.nonEarners(generation, scope, issuerId)]);
      const careerEvents = await store.careerEventTimes([...earners.map((earner) => earner.recipientId), ...nonEarners], issuerId);
      const asOf = new Date(Math.min(to.getTime(), now().getTime()));
      return careerImpact({ earners, nonEarners, careerEvents, windowMonths, asOf });
    },

    /**
     * Records a step in a recipient's career: by an issuer member with the ISSUER role or more (corporate L&D records its
     * employees, also those without a credential: they are the comparison group), or by an employer the recipient
     * consented to. An issuer's records count only in its own metrics. The row and its event commit together.
     */
    async recordCareerEvent(viewer: Viewer, input: { recipientId: string; type: CareerEventType; occurredAt: Date }) {
      if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
      if (input.occurredAt.getTime() > now().getTime() + 86_400_000) throw new AppError('BAD_USER_INPUT', 'occurredAt may not lie in the future', { field: 'occurredAt' });
      if (!isUuid(input.recipientId)) throw new AppError('BAD_USER_INPUT', 'recipientId is not a recipient id', { field: 'recipientId' });
      const recipientId = input.recipientId.toLowerCase();
      let recordedBy: { kind: 'ISSUER' | 'EMPLOYER'; id: string };
      if (viewer.kind === 'ISSUER') {
        assertIssuerAccess(viewer, viewer.issuerId, 'ISSUER');
        recordedBy = { kind: 'ISSUER', id: viewer.issuerId };
      } else if (viewer.kind === 'EMPLOYER') {
        if (!(await store.hasConsent(recipientId, viewer.employerId))) throw new UnauthorizedError('This recipient has not consented to this employer');
        recordedBy = { kind: 'EMPLOYER', id: viewer.employerId };
      } else {
        throw new UnauthorizedError('Only issuer members and consented employers record career events');
      }
      const id = newId();
      await db.transaction(async (tx) => {
        await store.insertCareerEvent(tx, { id, recipientId, type: input.type, occurredAt: input.occurredAt, recordedByKind: recordedBy.kind, recordedById: recordedBy.id });
        await appendEvents(tx, [careerEventRecordedEvent.build({ careerEventId: id, recipientId, type: input.type, occurredAt: input.occurredAt.toISOString(), recordedBy })]);
      });
      return { id, recipientId, type: input.type, occurredAt: input.occurredAt, recordedBy };
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
