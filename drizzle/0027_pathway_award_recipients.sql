CREATE TABLE "issuers"."recipient_identities" (
	"type" text NOT NULL,
	"value" text NOT NULL,
	"recipient_id" uuid NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"added_cursor" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipient_identities_type_value_pk" PRIMARY KEY("type","value")
);
--> statement-breakpoint
ALTER TABLE "issuers"."pathway_award_requests" ADD COLUMN "recipient" jsonb;--> statement-breakpoint
CREATE INDEX "recipient_identities_recipient_id_index" ON "issuers"."recipient_identities" USING btree ("recipient_id");--> statement-breakpoint
-- Requests recorded before the column: the identity their event named (null where it named none).
UPDATE "issuers"."pathway_award_requests" SET "recipient" = "payload"->'recipient' WHERE "recipient" IS NULL AND jsonb_typeof("payload"->'recipient') = 'object';
