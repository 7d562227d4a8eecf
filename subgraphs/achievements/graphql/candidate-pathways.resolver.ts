import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AchievementsContext } from '../context.js';
import { CandidatePathway, CandidateView } from './candidate-view.entity.js';

@Resolver(() => CandidateView)
export class CandidatePathwaysResolver {
  @Directive('@requires(fields: "recipientId visibleCredentialIds")')
  @FieldResolver(() => [CandidatePathway], {
    description: 'Each pathway the candidate completed or is on, as far as the shown credentials go: progress, the award’s standing and verdict, the CLR.',
  })
  async pathways(@Root() view: CandidateView, @Ctx() ctx: AchievementsContext): Promise<CandidatePathway[]> {
    const listed = await ctx.candidatePathways.forView(view.recipientId, view.visibleCredentialIds ?? []);
    return listed.map(({ pathway, progress, awardCredentialId, awardStanding, clrCredentialId }) => ({
      pathway,
      satisfied: progress.satisfied,
      percent: progress.percent,
      completedAt: progress.completedAt,
      next: progress.next,
      award: awardCredentialId ? { id: awardCredentialId } : null,
      awardStanding,
      clr: clrCredentialId ? { id: clrCredentialId } : null,
    }));
  }
}

/** The representation carries the required fields; there is nothing to look up. */
export const resolveCandidateViewReference = (reference: CandidateView): CandidateView => reference;
