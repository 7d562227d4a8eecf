CREATE TABLE "recipients"."share_view_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"appended_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "share_view_batches_appended_at_index" ON "recipients"."share_view_batches" USING btree ("appended_at");