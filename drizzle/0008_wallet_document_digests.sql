-- The digest a wallet credential and the verifier's copy of it are compared by. SHA-256 of UTF-8 text is immutable
-- in a database whose encoding never changes, which a generated column requires (convert_to is only marked stable).
-- One function per schema: each subgraph owns its own.
CREATE FUNCTION "recipients"."document_digest"(content text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN encode(sha256(convert_to(content, 'UTF8')), 'base64');
--> statement-breakpoint
CREATE FUNCTION "verification"."document_digest"(content text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN encode(sha256(convert_to(content, 'UTF8')), 'base64');
--> statement-breakpoint
CREATE TABLE "verification"."wallet_documents" (
	"credential_id" uuid PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"encoded" text,
	"digest" text GENERATED ALWAYS AS (verification.document_digest(coalesce(encoded, document::text))) STORED NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recipients"."credentials" ADD COLUMN "document_digest" text GENERATED ALWAYS AS (recipients.document_digest(coalesce(encoded, document::text))) STORED;