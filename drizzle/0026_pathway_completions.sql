CREATE TABLE "recipients"."pathway_completions" (
	"recipient_id" uuid NOT NULL,
	"pathway_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"pathway_name" text NOT NULL,
	"award_achievement_id" uuid NOT NULL,
	"member_credential_ids" uuid[] NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pathway_completions_recipient_id_pathway_id_version_pk" PRIMARY KEY("recipient_id","pathway_id","version")
);
