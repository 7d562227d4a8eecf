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
	"principal" text NOT NULL,
	"issuer_id" uuid,
	"role" text,
	"employer_id" uuid,
	"recipient_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_lookupId_unique" UNIQUE("lookup_id")
);
--> statement-breakpoint
CREATE TABLE "achievements"."achievements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"criteria_narrative" text,
	"criteria_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issuers"."issuers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"email" text,
	"description" text,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
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
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
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
CREATE TABLE "verification"."issuer_metrics" (
	"issuer_id" uuid PRIMARY KEY NOT NULL,
	"achievements_created" integer DEFAULT 0 NOT NULL,
	"credentials_issued" integer DEFAULT 0 NOT NULL,
	"credentials_revoked" integer DEFAULT 0 NOT NULL,
	"credentials_verified" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_issuer_id_cursor_index" ON "events"."events" USING btree ("issuer_id","cursor");--> statement-breakpoint
CREATE INDEX "events_type_cursor_index" ON "events"."events" USING btree ("type","cursor");--> statement-breakpoint
CREATE INDEX "api_keys_issuer_id_index" ON "auth"."api_keys" USING btree ("issuer_id");--> statement-breakpoint
CREATE INDEX "achievements_issuer_id_id_index" ON "achievements"."achievements" USING btree ("issuer_id","id");--> statement-breakpoint
CREATE INDEX "credentials_recipient_id_id_index" ON "recipients"."credentials" USING btree ("recipient_id","id");--> statement-breakpoint
CREATE INDEX "recipient_identities_recipient_id_index" ON "recipients"."recipient_identities" USING btree ("recipient_id");