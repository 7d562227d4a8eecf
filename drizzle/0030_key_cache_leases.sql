CREATE TABLE "auth"."key_cache_acks" (
	"xact_id" bigint NOT NULL,
	"lease_id" uuid NOT NULL,
	"lookup_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "key_cache_acks_xact_id_lease_id_lookup_id_pk" PRIMARY KEY("xact_id","lease_id","lookup_id")
);
--> statement-breakpoint
CREATE TABLE "auth"."key_cache_leases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth"."key_cache_acks" ADD CONSTRAINT "key_cache_acks_lease_id_key_cache_leases_id_fk" FOREIGN KEY ("lease_id") REFERENCES "auth"."key_cache_leases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "key_cache_acks_lease_id_acknowledged_at_index" ON "auth"."key_cache_acks" USING btree ("lease_id","acknowledged_at");