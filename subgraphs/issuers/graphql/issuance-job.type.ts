import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { EvidenceInput, RecipientInput, StatusPurpose } from './credential.type.js';

export enum IssuanceJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(IssuanceJobStatus, { name: 'IssuanceJobStatus' });

@ObjectType('IssuanceJob', { description: 'A bulk issuance: rows are issued in the background, each exactly once.' })
export class IssuanceJob {
  @Field(() => ID) id!: string;
  @Field(() => ID) issuerId!: string;
  @Field(() => ID) achievementId!: string;
  @Field(() => Int) achievementVersion!: number;
  @Field(() => StatusPurpose, { description: 'The purpose of every credential’s status entry.' }) statusPurpose!: StatusPurpose;
  @Field(() => IssuanceJobStatus) status!: IssuanceJobStatus;
  @Field(() => Int) total!: number;
  @Field(() => Int) issued!: number;
  @Field(() => Int) failed!: number;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) completedAt!: Date | null;
}

@ObjectType('BulkRowError', { description: 'Why one row of a bulk request was refused.' })
export class BulkRowError {
  @Field(() => Int, { description: '1-based; a CSV header is not counted.' }) row!: number;
  @Field(() => String) field!: string;
  @Field(() => String) reason!: string;
}

@InputType()
export class BulkRowInput {
  @Field(() => RecipientInput) recipient!: RecipientInput;
  @Field(() => [EvidenceInput]) evidence!: EvidenceInput[];
  @Field(() => GraphQLDateTime, { nullable: true }) validFrom?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) validUntil?: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Default: a hash of the achievement, recipient identity, evidence and validity. A row whose key found a credential issued before is skipped (`alreadyIssued`).',
  })
  idempotencyKey?: string | null;
}

@InputType()
export class IssueCredentialsInput {
  @Field(() => ID) achievementId!: string;
  @Field(() => [BulkRowInput], { nullable: true, description: 'The rows, or give `csv` instead.' }) rows?: BulkRowInput[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'CSV with a header: email | did | url | phone | student_id, name, evidence_kind, evidence_url, evidence_narrative, evidence_name (repeatable as _2 … _5), valid_from, valid_until, idempotency_key.',
  })
  csv?: string | null;
  @Field(() => StatusPurpose, {
    nullable: true,
    description: 'Default: REVOCATION. For every row; kept with the job, so a resumed job issues the same. SUSPENSION allows suspendCredential and reinstateCredential.',
  })
  statusPurpose?: StatusPurpose | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Default: false, and a row whose idempotency key found a credential issued before is skipped. true issues every row again.',
  })
  allowReissue?: boolean | null;
}

@ObjectType('BulkRowAlreadyIssued', { description: 'A row not queued: its idempotency key found the credential an earlier run issued.' })
export class BulkRowAlreadyIssued {
  @Field(() => Int, { description: '1-based; a CSV header is not counted.' }) row!: number;
  @Field(() => ID) credentialId!: string;
}

@ObjectType()
export class IssueCredentialsPayload {
  @Field(() => IssuanceJob, { nullable: true, description: 'Null when any row was refused (then nothing was queued), or when every row was issued before.' })
  job!: IssuanceJob | null;
  @Field(() => [BulkRowError], { description: 'Every problem of every row.' }) errors!: BulkRowError[];
  @Field(() => [BulkRowAlreadyIssued], { description: 'Rows skipped because they were issued before; the job issues the others (total counts them).' })
  alreadyIssued!: BulkRowAlreadyIssued[];
}
