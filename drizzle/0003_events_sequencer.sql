-- Event appends without a hub-wide lock (issue 11, item 3): rows are inserted without a cursor and numbered after
-- they commit by the sequencer (lib/events/sequencer.ts). Existing rows keep their cursors; numbering goes on after
-- the highest cursor ever handed out (the old sequence's value, which retention never lowers).
CREATE TABLE "events"."log_sequence" (
	"log" text PRIMARY KEY NOT NULL,
	"last_cursor" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "events"."log_sequence" ("log", "last_cursor")
SELECT 'events', greatest(
	coalesce((SELECT max("cursor") FROM "events"."events"), 0),
	(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "events"."events_cursor_seq")
);--> statement-breakpoint
ALTER TABLE "events"."events" DROP CONSTRAINT "events_pkey";--> statement-breakpoint
ALTER TABLE "events"."events" ALTER COLUMN "cursor" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "events"."events" ALTER COLUMN "cursor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "events"."events" ALTER COLUMN "cursor" DROP NOT NULL;--> statement-breakpoint
DROP SEQUENCE "events"."events_cursor_seq";--> statement-breakpoint
ALTER TABLE "events"."events" ADD COLUMN "seq" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
CREATE INDEX "events_unsequenced" ON "events"."events" USING btree ("seq") WHERE "events"."events"."cursor" is null;--> statement-breakpoint
ALTER TABLE "events"."events" ADD CONSTRAINT "events_cursor_unique" UNIQUE("cursor");
