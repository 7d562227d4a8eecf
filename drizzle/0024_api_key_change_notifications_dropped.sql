-- Migration 0020's notifications fed a gateway key cache that was taken out again before release: on PostgreSQL a
-- revocation reached the gateway a moment after the revoking request had answered, so "revoked keys stop working on
-- the next request" no longer held. Nothing listens on the channel any more.
DROP TRIGGER IF EXISTS "api_keys_changed" ON "auth"."api_keys";
--> statement-breakpoint
DROP TRIGGER IF EXISTS "api_keys_deleted" ON "auth"."api_keys";
--> statement-breakpoint
DROP FUNCTION IF EXISTS "auth"."notify_api_key_change"();
