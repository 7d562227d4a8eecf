import { setTimeout as delay } from 'node:timers/promises';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import { NotFoundError } from '../../../lib/errors.js';
import { issuanceJobProgressedEvent } from '../../../lib/events/contracts/issuance-job-progressed.js';
import { EventType } from '../../../lib/events/types.js';
import type { IssuersContext } from '../context.js';
import type { IssuanceJobRow } from '../db/tables.js';
import { IssuanceJob, IssueCredentialsInput, IssueCredentialsPayload } from './issuance-job.type.js';

async function visibleJob(ctx: IssuersContext, id: string): Promise<IssuanceJobRow> {
  const [job] = await ctx.jobs.findJobs([id]);
  if (!job) throw new NotFoundError('IssuanceJob', id);
  assertIssuerAccess(ctx.viewer, job.issuerId);
  return job;
}

const FINISHED = new Set(['COMPLETED', 'FAILED']);

/** @default 2_000 // how often a progress subscription re-reads its job, for a change no event announced (one committed by an older release) */
const PROGRESS_REREAD_MS = 2_000;

const sameProgress = (a: IssuanceJobRow, b: IssuanceJobRow) => a.status === b.status && a.issued === b.issued && a.failed === b.failed;

/** Resolves with 'tick' after `ms`, unless `signal` aborts first (then it never resolves, and its timer is gone). */
function tickAfter(ms: number, signal: AbortSignal): Promise<'tick'> {
  return delay(ms, 'tick' as const, { signal }).catch(() => new Promise<never>(() => {}));
}

/**
 * The job as it is now, then its state after each progress event and whenever a periodic re-read finds it changed,
 * ending once the job has finished. The job row is the truth; events only say when to look.
 */
async function* jobProgress(ctx: IssuersContext, job: IssuanceJobRow): AsyncGenerator<IssuanceJobRow> {
  const events = ctx.feed.subscribe({ after: await ctx.feed.head(), issuerId: job.issuerId, types: [EventType.ISSUANCE_JOB_PROGRESSED] });
  const read = async () => (await ctx.jobs.findJobs([job.id]))[0]!;
  try {
    // Read after subscribing, so progress made in between is not lost (at worst a state is seen twice).
    let current = await read();
    yield current;
    let next = events.next();
    while (!FINISHED.has(current.status)) {
      const timer = new AbortController();
      const woke = await Promise.race([next, tickAfter(PROGRESS_REREAD_MS, timer.signal)]);
      timer.abort();
      if (woke === 'tick') {
        const latest = await read();
        if (!sameProgress(latest, current)) yield (current = latest);
        continue;
      }
      if (woke.done) return;
      next = events.next();
      const progressed = issuanceJobProgressedEvent.read(woke.value.payload);
      if ('problem' in progressed || progressed.payload.jobId !== job.id) continue;
      yield (current = await read());
    }
  } finally {
    await events.return?.(undefined);
  }
}

@Resolver(() => IssuanceJob)
export class IssuanceJobResolver {
  @Authorized('ADMIN', 'ISSUER')
  @Mutation(() => IssueCredentialsPayload, {
    description: 'Starts a bulk issuance. Every row is validated first; a request with any bad row queues nothing and lists every problem.',
  })
  async issueCredentials(@Arg('input', () => IssueCredentialsInput) input: IssueCredentialsInput, @Ctx() ctx: IssuersContext) {
    const result = await ctx.services.bulkIssuance.createJob(ctx.viewer, input);
    if (result.job) ctx.log.info({ jobId: result.job.id, rows: result.job.total }, 'bulk issuance queued');
    return result;
  }

  @Authorized()
  @Query(() => IssuanceJob, { nullable: true })
  async issuanceJob(@Arg('id', () => ID) id: string, @Ctx() ctx: IssuersContext) {
    return visibleJob(ctx, id);
  }

  @Subscription(() => IssuanceJob, {
    description: 'The job’s progress: its current state first, then every change until it has finished.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { id: string }, IssuersContext>) =>
      jobProgress(context, await visibleJob(context, args.id)),
  })
  issuanceJobProgress(@Root() job: IssuanceJobRow, @Arg('id', () => ID) _id: string): IssuanceJobRow {
    return job;
  }
}
