CREATE SCHEMA "hub";
--> statement-breakpoint
CREATE TABLE "hub"."public_addresses" (
	"url" text PRIMARY KEY NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
