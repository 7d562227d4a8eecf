CREATE TABLE "achievements"."pathway_backfills" (
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" text DEFAULT 'PENDING' NOT NULL,
	"after_recipient_id" uuid,
	"holders_processed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "pathway_backfills_pathway_id_version_pk" PRIMARY KEY("pathway_id","version")
);
--> statement-breakpoint
ALTER TABLE "achievements"."pathway_progress" ADD COLUMN "start_announced" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "pathway_backfills_pending" ON "achievements"."pathway_backfills" USING btree ("created_at") WHERE "achievements"."pathway_backfills"."state" = 'PENDING';--> statement-breakpoint
CREATE INDEX "pathway_progress_start_unannounced" ON "achievements"."pathway_progress" USING btree ("recipient_id") WHERE not "achievements"."pathway_progress"."start_announced";--> statement-breakpoint
-- Rows whose PathwayStarted is in the log were announced; the rest (written before that event existed) are left for
-- the start announcer, which appends exactly one each.
UPDATE "achievements"."pathway_progress" AS p SET "start_announced" = true WHERE EXISTS (
	SELECT 1 FROM "events"."events" AS e
	WHERE e."type" = 'PathwayStarted' AND e."recipient_id" = p."recipient_id"
		AND e."payload"->>'pathwayId' = p."pathway_id"::text AND (e."payload"->>'version')::int = p."version"
);
