CREATE TABLE "recipients"."pathway_progress_mails" (
	"event_cursor" bigint PRIMARY KEY NOT NULL,
	"recipient_id" uuid NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
