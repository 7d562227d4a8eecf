ALTER TABLE "issuers"."status_lists" ADD COLUMN "allocated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issuers"."status_lists" ADD COLUMN "index_key" "bytea" DEFAULT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') NOT NULL;--> statement-breakpoint
-- Lists that exist already were filled with random picks: true for them, false for every list opened from now on.
ALTER TABLE "issuers"."status_lists" ADD COLUMN "holds_random_picks" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "issuers"."status_lists" ALTER COLUMN "holds_random_picks" SET DEFAULT false;
