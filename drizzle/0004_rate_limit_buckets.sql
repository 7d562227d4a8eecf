CREATE SCHEMA "ratelimit";
--> statement-breakpoint
-- UNLOGGED by hand (drizzle-kit has no option for it): rate-limit buckets are not worth WAL; after a crash or a
-- failover the table is empty, i.e. every bucket is full again. See lib/rate-limit/tables.ts.
CREATE UNLOGGED TABLE "ratelimit"."buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at_ms" bigint NOT NULL,
	"full_at_ms" bigint NOT NULL,
	"last_take_allowed" boolean NOT NULL
);
