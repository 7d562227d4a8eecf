import { Args, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { toConnection, toPageRequest } from '../../../lib/graphql/pagination.js';
import type { RecipientsContext } from '../context.js';
import type { WalletCredentialSummary } from '../db/tables.js';
import { matchesFilter, pageOfList } from '../domain/candidate-filter.js';
import { shownPathways, stackSkills } from '../domain/credential-skills.js';
import { CandidateView, StackedSkill } from './candidate.type.js';
import { Credential, CredentialConnection } from './credential.type.js';
import { CandidateCredentialsArgs, StackedSkillsArgs } from './share.type.js';

/** When a credential was earned, for "most recent": its validFrom, else when it entered the wallet. */
const earnedAt = (row: WalletCredentialSummary) => row.validFrom ?? row.issuedAt;

@Resolver(() => CandidateView)
export class CandidateViewResolver {
  @FieldResolver(() => [ID])
  visibleCredentialIds(@Root() view: CandidateView): string[] {
    return view.rows.map((row) => row.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The name the candidate gave (null when they gave none).' })
  async displayName(@Root() view: CandidateView, @Ctx() ctx: RecipientsContext) {
    return (await ctx.loaders.recipientById.load(view.recipientId))?.name ?? null;
  }

  @FieldResolver(() => CredentialConnection, {
    description:
      'The visible credentials, each a federated Credential (issuer, achievement, issuance and verification come from their subgraphs), ' +
      'filtered for an ATS, in the share’s order (consent: the wallet’s order). Cursors are credential ids.',
  })
  credentials(@Root() view: CandidateView, @Args(() => CandidateCredentialsArgs) args: CandidateCredentialsArgs) {
    const request = toPageRequest(args);
    const now = new Date();
    const matching = view.rows.filter((row) => matchesFilter(row, args, now));
    return toConnection(pageOfList(matching, request), request);
  }

  @FieldResolver(() => [StackedSkill], {
    description: 'Skills across all the visible credentials and their issuers, by framework + code, from the most independent sources (a shown completed pathway counts once).',
  })
  async stackedSkills(@Root() view: CandidateView, @Args(() => StackedSkillsArgs) args: StackedSkillsArgs, @Ctx() ctx: RecipientsContext): Promise<StackedSkill[]> {
    const byId = new Map(view.rows.map((row) => [row.id, row]));
    const pathways = shownPathways(await ctx.loaders.pathwayCompletionsByRecipientId.load(view.recipientId), view.rows);
    return stackSkills(
      view.rows.map((row) => ({ ...row, earnedAt: earnedAt(row) })),
      pathways,
    )
      .filter((stack) => (!args.skillCode || stack.code === args.skillCode) && (!args.framework || stack.framework === args.framework))
      .map((stack) => {
        const rows = stack.credentialIds.map((id) => byId.get(id)!);
        return {
          id: `${view.id}|${stack.key}`,
          framework: stack.framework,
          code: stack.code,
          name: stack.name,
          url: stack.url,
          credentialCount: rows.length,
          sourceCount: stack.sourceCount,
          pathways: stack.pathways,
          strongestEvidence: stack.strongestEvidence,
          mostRecentAt: stack.mostRecentAt,
          verificationInputs: rows.map((row) => ({ id: row.id, documentDigest: row.documentDigest })),
          rows,
        };
      });
  }
}

@Resolver(() => StackedSkill)
export class StackedSkillResolver {
  @FieldResolver(() => [Credential], { description: 'The credentials that evidence it, newest first.' })
  credentials(@Root() stack: StackedSkill) {
    return stack.rows;
  }
}
