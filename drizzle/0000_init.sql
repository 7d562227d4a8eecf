CREATE SCHEMA "events";
--> statement-breakpoint
CREATE SCHEMA "auth";
--> statement-breakpoint
CREATE SCHEMA "achievements";
--> statement-breakpoint
CREATE SCHEMA "issuers";
--> statement-breakpoint
CREATE SCHEMA "recipients";
--> statement-breakpoint
CREATE SCHEMA "verification";
--> statement-breakpoint
CREATE TABLE "events"."consumer_checkpoints" (
	"consumer" text PRIMARY KEY NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events"."events" (
	"cursor" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issuer_id" uuid,
	"recipient_id" uuid,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth"."api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lookup_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'KEY' NOT NULL,
	"principal" text NOT NULL,
	"issuer_id" uuid,
	"role" text,
	"member_id" uuid,
	"employer_id" uuid,
	"recipient_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "api_keys_lookupId_unique" UNIQUE("lookup_id")
);
--> statement-breakpoint
CREATE TABLE "achievements"."achievement_skills" (
	"achievement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"skill_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "achievement_skills_achievement_id_version_skill_id_pk" PRIMARY KEY("achievement_id","version","skill_id")
);
--> statement-breakpoint
CREATE TABLE "achievements"."achievement_versions" (
	"achievement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"issuer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"criteria_narrative" text,
	"criteria_url" text,
	"image_url" text,
	"image_caption" text,
	"achievement_type" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"language" text,
	"credits_available" double precision,
	"estimated_learning_hours" double precision,
	"validity" text,
	"evidence_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"competency_based" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "achievement_versions_achievement_id_version_pk" PRIMARY KEY("achievement_id","version")
);
--> statement-breakpoint
CREATE TABLE "achievements"."achievements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"current_version" integer NOT NULL,
	"latest_version" integer NOT NULL,
	"published_version" integer,
	"draft_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "achievements"."alignments" (
	"achievement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"position" integer NOT NULL,
	"target_name" text NOT NULL,
	"target_url" text NOT NULL,
	"target_code" text,
	"target_description" text,
	"target_framework" text,
	"target_type" text,
	CONSTRAINT "alignments_achievement_id_version_position_pk" PRIMARY KEY("achievement_id","version","position")
);
--> statement-breakpoint
CREATE TABLE "achievements"."result_descriptions" (
	"achievement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"position" integer NOT NULL,
	"result_id" text NOT NULL,
	"name" text NOT NULL,
	"result_type" text NOT NULL,
	"allowed_values" text[] DEFAULT '{}'::text[] NOT NULL,
	"required_value" text,
	"value_min" text,
	"value_max" text,
	CONSTRAINT "result_descriptions_achievement_id_version_position_pk" PRIMARY KEY("achievement_id","version","position")
);
--> statement-breakpoint
CREATE TABLE "achievements"."skills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"framework" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skills_framework_code_unique" UNIQUE("framework","code")
);
--> statement-breakpoint
CREATE TABLE "issuers"."achievement_versions" (
	"achievement_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"issuer_id" uuid NOT NULL,
	"archived" timestamp with time zone,
	"snapshot" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issuers"."issuance_job_rows" (
	"job_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"request" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"credential_id" uuid,
	"error" text,
	"claimed_until" timestamp with time zone,
	CONSTRAINT "issuance_job_rows_job_id_row_number_pk" PRIMARY KEY("job_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "issuers"."issuance_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"achievement_id" uuid NOT NULL,
	"achievement_version" integer NOT NULL,
	"status_purpose" text NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"total" integer NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issuers"."issued_credentials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"achievement_id" uuid NOT NULL,
	"achievement_version" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"recipient_type" text NOT NULL,
	"recipient_hash" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"status_reason" text,
	"status_purpose" text NOT NULL,
	"status_list_id" uuid NOT NULL,
	"status_list_index" integer NOT NULL,
	"document" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"status_changed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issuers"."issuers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"email" text,
	"description" text,
	"image" text,
	"phone" text,
	"address" jsonb,
	"official" text,
	"parent_issuer_id" uuid,
	"did_method" text DEFAULT 'web' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issuers"."jwt_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"algorithm" text NOT NULL,
	"public_key_jwk" jsonb NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issuers"."members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issuers"."signing_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"public_key_multibase" text NOT NULL,
	"encrypted_private_key" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "signing_keys_publicKeyMultibase_unique" UNIQUE("public_key_multibase")
);
--> statement-breakpoint
CREATE TABLE "issuers"."status_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"length" integer NOT NULL,
	"bits" "bytea" NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipients"."email_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"purpose" text NOT NULL,
	"requested_by" uuid,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipients"."recipient_merges" (
	"merged_recipient_id" uuid PRIMARY KEY NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_by" uuid,
	"reason" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipients"."oauth_records" (
	"model" text NOT NULL,
	"id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"uid" text,
	"user_code" text,
	"expires_at" timestamp with time zone,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "oauth_records_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE TABLE "recipients"."consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"employer_org_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recipients"."share_credentials" (
	"share_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "share_credentials_share_id_credential_id_pk" PRIMARY KEY("share_id","credential_id")
);
--> statement-breakpoint
CREATE TABLE "recipients"."shares" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"audience" text NOT NULL,
	"employer_org_id" uuid,
	"portfolio_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shares_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "recipients"."credentials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"issuer_id" uuid,
	"achievement_id" uuid,
	"name" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"document" jsonb NOT NULL,
	"source" text NOT NULL,
	"encoded" text,
	"format" text DEFAULT 'VC_2_0' NOT NULL,
	"issuer_uri" text,
	"credential_uri" text,
	"issuer_name" text,
	"achievement_uri" text,
	"achievement_name" text,
	"valid_from" timestamp with time zone,
	"visibility" text DEFAULT 'PRIVATE' NOT NULL,
	"import_status" text,
	"import_checks" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipients"."recipient_identities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipient_identities_type_value_unique" UNIQUE("type","value")
);
--> statement-breakpoint
CREATE TABLE "recipients"."recipients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipients"."portfolio_credentials" (
	"portfolio_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "portfolio_credentials_portfolio_id_credential_id_pk" PRIMARY KEY("portfolio_id","credential_id")
);
--> statement-breakpoint
CREATE TABLE "recipients"."portfolios" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."credential_verdicts" (
	"credential_key" text PRIMARY KEY NOT NULL,
	"document_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"recheck_after" timestamp with time zone,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."issuer_metrics" (
	"issuer_id" uuid PRIMARY KEY NOT NULL,
	"achievements_created" integer DEFAULT 0 NOT NULL,
	"credentials_issued" integer DEFAULT 0 NOT NULL,
	"credentials_revoked" integer DEFAULT 0 NOT NULL,
	"credentials_verified" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."known_issuer_dids" (
	"did" text PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"issuer_name" text NOT NULL,
	"document" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."verifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"credential_id" text,
	"issuer_ref" text,
	"hub_issuer_id" uuid,
	"status" text NOT NULL,
	"verified" boolean NOT NULL,
	"format" text NOT NULL,
	"verifier_kind" text NOT NULL,
	"verifier_id" text,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_issuer_id_cursor_index" ON "events"."events" USING btree ("issuer_id","cursor");--> statement-breakpoint
CREATE INDEX "events_type_cursor_index" ON "events"."events" USING btree ("type","cursor");--> statement-breakpoint
CREATE INDEX "api_keys_issuer_id_index" ON "auth"."api_keys" USING btree ("issuer_id");--> statement-breakpoint
CREATE INDEX "api_keys_member_id_index" ON "auth"."api_keys" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "api_keys_recipient_id_index" ON "auth"."api_keys" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "achievement_skills_skill_id_index" ON "achievements"."achievement_skills" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "achievements_issuer_id_id_index" ON "achievements"."achievements" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "achievement_versions_achievement_id_version_index" ON "issuers"."achievement_versions" USING btree ("achievement_id","version");--> statement-breakpoint
CREATE INDEX "issuance_job_rows_status_job_id_index" ON "issuers"."issuance_job_rows" USING btree ("status","job_id");--> statement-breakpoint
CREATE INDEX "issuance_jobs_issuer_id_id_index" ON "issuers"."issuance_jobs" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "issued_credentials_issuer_id_idempotency_key_index" ON "issuers"."issued_credentials" USING btree ("issuer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "issued_credentials_status_list_id_status_list_index_index" ON "issuers"."issued_credentials" USING btree ("status_list_id","status_list_index");--> statement-breakpoint
CREATE INDEX "issued_credentials_issuer_id_id_index" ON "issuers"."issued_credentials" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE INDEX "jwt_keys_issuer_id_id_index" ON "issuers"."jwt_keys" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_issuer_id_email_index" ON "issuers"."members" USING btree ("issuer_id","email");--> statement-breakpoint
CREATE INDEX "members_issuer_id_id_index" ON "issuers"."members" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE INDEX "signing_keys_issuer_id_id_index" ON "issuers"."signing_keys" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE INDEX "status_lists_issuer_id_purpose_index" ON "issuers"."status_lists" USING btree ("issuer_id","purpose");--> statement-breakpoint
CREATE INDEX "email_codes_email_created_at_index" ON "recipients"."email_codes" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "recipient_merges_survivor_id_index" ON "recipients"."recipient_merges" USING btree ("survivor_id");--> statement-breakpoint
CREATE INDEX "oauth_records_grant_id_index" ON "recipients"."oauth_records" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oauth_records_uid_index" ON "recipients"."oauth_records" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "oauth_records_user_code_index" ON "recipients"."oauth_records" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "oauth_records_expires_at_index" ON "recipients"."oauth_records" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "consents_employer_org_id_recipient_id_index" ON "recipients"."consents" USING btree ("employer_org_id","recipient_id");--> statement-breakpoint
CREATE INDEX "consents_recipient_id_index" ON "recipients"."consents" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "share_credentials_share_id_position_index" ON "recipients"."share_credentials" USING btree ("share_id","position");--> statement-breakpoint
CREATE INDEX "shares_recipient_id_id_index" ON "recipients"."shares" USING btree ("recipient_id","id");--> statement-breakpoint
CREATE INDEX "credentials_recipient_id_id_index" ON "recipients"."credentials" USING btree ("recipient_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_recipient_id_issuer_uri_credential_uri_index" ON "recipients"."credentials" USING btree ("recipient_id","issuer_uri","credential_uri");--> statement-breakpoint
CREATE INDEX "recipient_identities_recipient_id_index" ON "recipients"."recipient_identities" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "portfolio_credentials_portfolio_id_position_index" ON "recipients"."portfolio_credentials" USING btree ("portfolio_id","position");--> statement-breakpoint
CREATE INDEX "portfolios_recipient_id_id_index" ON "recipients"."portfolios" USING btree ("recipient_id","id");--> statement-breakpoint
CREATE INDEX "known_issuer_dids_issuer_idx" ON "verification"."known_issuer_dids" USING btree ("issuer_id");--> statement-breakpoint
CREATE INDEX "verifications_hub_issuer_idx" ON "verification"."verifications" USING btree ("hub_issuer_id","checked_at");