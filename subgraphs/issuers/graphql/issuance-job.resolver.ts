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

/** The job as it is now, then each progress event, ending once the job has finished. */
async function* jobProgress(ctx: IssuersContext, job: IssuanceJobRow): AsyncGenerator<IssuanceJobRow> {
  const events = ctx.feed.subscribe({ after: await ctx.feed.head(), issuerId: job.issuerId, types: [EventType.ISSUANCE_JOB_PROGRESSED] });
  try {
    // Read after subscribing, so progress made in between is not lost (at worst a state is seen twice).
    const [current] = await ctx.jobs.findJobs([job.id]);
    yield current!;
    if (FINISHED.has(current!.status)) return;
    for await (const event of events) {
      const progressed = issuanceJobProgressedEvent.read(event.payload);
      if ('problem' in progressed || progressed.payload.jobId !== job.id) continue;
      const [latest] = await ctx.jobs.findJobs([job.id]);
      yield latest!;
      if (FINISHED.has(latest!.status)) return;
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
