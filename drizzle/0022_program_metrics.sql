CREATE TABLE "verification"."career_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_by_kind" text NOT NULL,
	"recorded_by_id" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."employer_consents" (
	"consent_id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"employer_org_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_achievements" (
	"generation" integer NOT NULL,
	"achievement_id" uuid NOT NULL,
	"issuer_id" uuid NOT NULL,
	CONSTRAINT "metric_achievements_generation_achievement_id_pk" PRIMARY KEY("generation","achievement_id")
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_credentials" (
	"generation" integer NOT NULL,
	"credential_id" uuid NOT NULL,
	"issuer_id" uuid NOT NULL,
	"achievement_id" uuid,
	"recipient_id" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"first_shared_at" timestamp with time zone,
	"first_third_party_verified_at" timestamp with time zone,
	"third_party_verifications" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "metric_credentials_generation_credential_id_pk" PRIMARY KEY("generation","credential_id")
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_daily" (
	"generation" integer NOT NULL,
	"issuer_id" uuid NOT NULL,
	"achievement_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_daily_generation_issuer_id_achievement_id_day_kind_detail_pk" PRIMARY KEY("generation","issuer_id","achievement_id","day","kind","detail")
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_generations" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"active" integer DEFAULT 1 NOT NULL,
	"building" integer,
	"swapped_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_pathway_progress" (
	"generation" integer NOT NULL,
	"pathway_id" uuid NOT NULL,
	"issuer_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "metric_pathway_progress_generation_pathway_id_recipient_id_pk" PRIMARY KEY("generation","pathway_id","recipient_id")
);
--> statement-breakpoint
CREATE TABLE "verification"."metric_shares" (
	"generation" integer NOT NULL,
	"share_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"credential_ids" jsonb NOT NULL,
	CONSTRAINT "metric_shares_generation_share_id_pk" PRIMARY KEY("generation","share_id")
);
--> statement-breakpoint
CREATE INDEX "career_events_recipient_idx" ON "verification"."career_events" USING btree ("recipient_id","occurred_at");--> statement-breakpoint
CREATE INDEX "employer_consents_recipient_idx" ON "verification"."employer_consents" USING btree ("recipient_id","employer_org_id");--> statement-breakpoint
CREATE INDEX "metric_credentials_issuer_idx" ON "verification"."metric_credentials" USING btree ("generation","issuer_id","issued_at");--> statement-breakpoint
CREATE INDEX "metric_credentials_achievement_idx" ON "verification"."metric_credentials" USING btree ("generation","achievement_id","issued_at");--> statement-breakpoint
CREATE INDEX "metric_credentials_recipient_idx" ON "verification"."metric_credentials" USING btree ("generation","recipient_id");--> statement-breakpoint
CREATE INDEX "metric_daily_achievement_idx" ON "verification"."metric_daily" USING btree ("generation","achievement_id","day");