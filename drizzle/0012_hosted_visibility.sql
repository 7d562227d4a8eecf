CREATE TABLE "issuers"."hosted_visibility" (
	"credential_id" uuid PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"visibility" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hosted_visibility_recipient_id_index" ON "issuers"."hosted_visibility" USING btree ("recipient_id");