ALTER TABLE "recipients"."recipient_identities" ADD COLUMN "announced" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Identities already here were named by RecipientCreated v1 (which carried none) or by no event at all: each is named
-- once more, by services/identity-announcements.ts, so the issuers subgraph's projection knows every recipient.
UPDATE "recipients"."recipient_identities" SET "announced" = false;--> statement-breakpoint
CREATE INDEX "recipient_identities_unannounced" ON "recipients"."recipient_identities" USING btree ("id") WHERE not "recipients"."recipient_identities"."announced";
