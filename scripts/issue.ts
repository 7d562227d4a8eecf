import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { askHub, CONNECTION_HELP, defaultHubUrl, exitWith, parseCliArgs, runCli } from './cli/hub-client.js';

const USAGE = `usage: npm run issue -- --achievement <id> --csv <file.csv> [--status-purpose revocation|suspension] [--allow-reissue] [--url <url>] [--key <api key>]

Starts a bulk issuance through the gateway and shows its progress until it finishes. Exits 1 when rows are refused
(each is listed), the job fails, or the hub cannot be reached or refuses the key.

  --achievement <id>         the achievement to issue
  --csv <file>               one row per recipient (README, "Bulk issuance")
  --status-purpose <purpose> revocation (default: can only be revoked) or suspension (suspendable and reinstatable)
  --allow-reissue            issue rows an earlier run issued already (same idempotency key); they are skipped otherwise
${CONNECTION_HELP}`;

const { values } = parseCliArgs(USAGE, {
  achievement: { type: 'string' },
  csv: { type: 'string' },
  'status-purpose': { type: 'string', default: 'revocation' },
  'allow-reissue': { type: 'boolean', default: false },
  url: { type: 'string', default: defaultHubUrl() },
  key: { type: 'string', default: process.env.CAIRN_API_KEY },
});
if (!values.achievement || !values.csv) exitWith(USAGE);
const STATUS_PURPOSES: Record<string, string> = { revocation: 'REVOCATION', suspension: 'SUSPENSION' };
const statusPurpose = STATUS_PURPOSES[values['status-purpose']!.toLowerCase()];
if (!statusPurpose) exitWith(`--status-purpose must be revocation or suspension, not "${values['status-purpose']}"`);
if (!values.key) exitWith('an API key is needed: pass --key or set CAIRN_API_KEY');
const headers = { 'content-type': 'application/json', authorization: `Bearer ${values.key}` };

interface JobState {
  status: string;
  total: number;
  issued: number;
  failed: number;
}

function bar(state: JobState): string {
  const done = state.issued + state.failed;
  const width = 30;
  const filled = Math.round((done / Math.max(state.total, 1)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${state.total} issued ${state.issued}, failed ${state.failed} (${state.status})`;
}

runCli(async () => {
  const data = await askHub<{ issueCredentials: unknown }>(
    values.url!,
    values.key,
    `mutation ($input: IssueCredentialsInput!) { issueCredentials(input: $input) { job { id total } errors { row field reason } alreadyIssued { row credentialId } } }`,
    { input: { achievementId: values.achievement, csv: readFileSync(values.csv!, 'utf8'), statusPurpose, allowReissue: values['allow-reissue'] } },
  );
  const { job, errors, alreadyIssued } = data.issueCredentials as {
    job: { id: string; total: number } | null;
    errors: { row: number; field: string; reason: string }[];
    alreadyIssued: { row: number; credentialId: string }[];
  };
  if (alreadyIssued.length > 0 && errors.length === 0) {
    process.stderr.write(`${alreadyIssued.length} row(s) already issued, skipped (--allow-reissue issues them again):\n`);
    process.stderr.write(`${alreadyIssued.map((skipped) => `  row ${skipped.row}: credential ${skipped.credentialId}`).join('\n')}\n`);
  }
  if (!job && errors.length === 0) {
    process.stdout.write('Nothing to issue: every row was issued before.\n');
    return;
  }
  if (!job) exitWith(`Nothing was issued: ${errors.length} row(s) need fixing.\n${errors.map((error) => `  row ${error.row}, ${error.field}: ${error.reason}`).join('\n')}`);
  process.stderr.write(`Job ${job.id}: ${job.total} credentials queued.\n`);

  const client = createClient({ url: values.url!.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: headers.authorization } });
  const final = await new Promise<JobState>((resolve, reject) => {
    let last: JobState | null = null;
    client.subscribe<{ issuanceJobProgress: JobState }>(
      { query: `subscription ($id: ID!) { issuanceJobProgress(id: $id) { status total issued failed } }`, variables: { id: job.id } },
      {
        next: ({ data, errors: subscriptionErrors }) => {
          if (subscriptionErrors?.length) return reject(new Error(subscriptionErrors.map((error) => error.message).join('; ')));
          last = data!.issuanceJobProgress;
          process.stderr.write(process.stderr.isTTY ? `\r${bar(last)}` : `${bar(last)}\n`);
        },
        error: reject,
        complete: () => (last ? resolve(last) : reject(new Error('the progress stream ended without news'))),
      },
    );
  }).finally(() => client.dispose());
  process.stderr.write('\n');
  if (final.status !== 'COMPLETED' || final.failed > 0) exitWith(`Job ${job.id} ended ${final.status}: ${final.failed} row(s) failed.`);
  process.stdout.write(`${final.issued} credentials issued (job ${job.id}).\n`);
});
