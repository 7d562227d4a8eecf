-- Gateways remember live keys (lib/auth/api-key-cache.ts); every change that decides what a key may do tells them at
-- once, on every replica. last_used_at is left out on purpose: it changes once a minute per key in use and decides
-- nothing.
CREATE OR REPLACE FUNCTION "auth"."notify_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cairn_api_key_changes', OLD.lookup_id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "api_keys_changed" AFTER UPDATE OF "revoked_at", "expires_at", "role", "principal", "issuer_id", "employer_id", "recipient_id", "member_id", "secret_hash", "kind", "lookup_id" ON "auth"."api_keys" FOR EACH ROW EXECUTE FUNCTION "auth"."notify_api_key_change"();
--> statement-breakpoint
CREATE TRIGGER "api_keys_deleted" AFTER DELETE ON "auth"."api_keys" FOR EACH ROW EXECUTE FUNCTION "auth"."notify_api_key_change"();
