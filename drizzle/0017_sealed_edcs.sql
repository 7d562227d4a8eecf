CREATE TABLE "issuers"."sealed_edcs" (
	"credential_id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL,
	"sealed" text NOT NULL,
	"sealed_by" text NOT NULL,
	"signing_time" timestamp with time zone,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
