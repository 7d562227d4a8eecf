CREATE TABLE "achievements"."held_credentials" (
	"credential_id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid,
	"issuer_id" uuid,
	"issuer_ref" text,
	"local" boolean NOT NULL,
	"achievement_id" uuid,
	"achievement_url" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"results" double precision[] DEFAULT '{}'::float8[] NOT NULL,
	"earned_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"status" text NOT NULL,
	"expiry_applied_at" timestamp with time zone,
	"verified" boolean NOT NULL,
	"trusted" boolean DEFAULT false NOT NULL,
	"recipient_identity" jsonb,
	"document" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathway_awards" (
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"recipient_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"achievement_id" uuid NOT NULL,
	"standing" text NOT NULL,
	"credential_ids" uuid[] NOT NULL,
	"awarded_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pathway_awards_pathway_id_version_recipient_id_node_id_pk" PRIMARY KEY("pathway_id","version","recipient_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathway_followers" (
	"pathway_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"enrolled_by" text NOT NULL,
	"followed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pathway_followers_pathway_id_recipient_id_pk" PRIMARY KEY("pathway_id","recipient_id")
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathway_leaf_keys" (
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "pathway_leaf_keys_pathway_id_version_key_pk" PRIMARY KEY("pathway_id","version","key")
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathway_progress" (
	"recipient_id" uuid NOT NULL,
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"percent" integer NOT NULL,
	"satisfied" boolean NOT NULL,
	"completed_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"step" integer,
	"detail" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pathway_progress_recipient_id_pathway_id_version_pk" PRIMARY KEY("recipient_id","pathway_id","version")
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathway_versions" (
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"issuer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"image_url" text,
	"requirement" jsonb NOT NULL,
	"award_achievement_id" uuid NOT NULL,
	"accept_external" jsonb NOT NULL,
	"revocation_policy" text NOT NULL,
	"window_months" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "pathway_versions_pathway_id_version_pk" PRIMARY KEY("pathway_id","version")
);
--> statement-breakpoint
CREATE TABLE "achievements"."pathways" (
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
CREATE TABLE "issuers"."pathway_award_requests" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"award_credential_id" uuid,
	"clr_credential_id" uuid,
	"standing" text DEFAULT 'ACTIVE' NOT NULL,
	"credential_suspended" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "held_credentials_recipient_id_index" ON "achievements"."held_credentials" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "held_credentials_expiry_pending" ON "achievements"."held_credentials" USING btree ("valid_until") WHERE "achievements"."held_credentials"."expiry_applied_at" is null;--> statement-breakpoint
CREATE INDEX "pathway_awards_recipient_id_index" ON "achievements"."pathway_awards" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "pathway_followers_recipient_id_index" ON "achievements"."pathway_followers" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "pathway_leaf_keys_key_index" ON "achievements"."pathway_leaf_keys" USING btree ("key");--> statement-breakpoint
CREATE INDEX "pathway_progress_pathway_id_version_index" ON "achievements"."pathway_progress" USING btree ("pathway_id","version");--> statement-breakpoint
CREATE INDEX "pathways_issuer_id_id_index" ON "achievements"."pathways" USING btree ("issuer_id","id");