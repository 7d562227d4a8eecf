CREATE TABLE "events"."dead_letters" (
	"consumer" text NOT NULL,
	"cursor" bigint NOT NULL,
	"event_type" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text NOT NULL,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retry_requested_at" timestamp with time zone,
	CONSTRAINT "dead_letters_consumer_cursor_pk" PRIMARY KEY("consumer","cursor")
);
--> statement-breakpoint
ALTER TABLE "events"."consumer_checkpoints" ADD COLUMN "failing_cursor" bigint;--> statement-breakpoint
ALTER TABLE "events"."consumer_checkpoints" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events"."consumer_checkpoints" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "events"."consumer_checkpoints" ADD COLUMN "retry_at" timestamp with time zone;