CREATE TABLE "events"."log_horizons" (
	"log" text PRIMARY KEY NOT NULL,
	"pruned_through" bigint NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL
);
