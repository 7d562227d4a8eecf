CREATE TABLE "issuers"."signed_credentials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"credential_uri" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"status_reason" text,
	"status_purpose" text NOT NULL,
	"status_list_id" uuid NOT NULL,
	"status_list_index" integer NOT NULL,
	"document" jsonb NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "signed_credentials_status_list_id_status_list_index_index" ON "issuers"."signed_credentials" USING btree ("status_list_id","status_list_index");--> statement-breakpoint
CREATE INDEX "signed_credentials_issuer_id_credential_uri_index" ON "issuers"."signed_credentials" USING btree ("issuer_id","credential_uri");