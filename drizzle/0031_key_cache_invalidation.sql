-- Gateways keep API keys in memory while they hold an unexpired lease (lib/auth/api-key-cache.ts). Every change that
-- decides what a key may do, whichever code makes it, owes each such lease an acknowledgement and tells every replica
-- at commit; the changing service answers once every lease has acknowledged or expired. last_used_at is left out on
-- purpose: it changes once a minute per key in use and decides nothing.
-- The SHARE lock keeps a lease from being taken or renewed between this transaction's reading of the leases and its
-- commit, so a lease this change did not ask for an acknowledgement was taken after the commit, and its cache, which
-- starts empty, reads the change.
CREATE OR REPLACE FUNCTION "auth"."announce_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changing_xact bigint := pg_current_xact_id()::text::bigint;
BEGIN
  LOCK TABLE "auth"."key_cache_leases" IN SHARE MODE;
  INSERT INTO "auth"."key_cache_acks" ("xact_id", "lease_id", "lookup_id")
    SELECT changing_xact, "id", OLD."lookup_id" FROM "auth"."key_cache_leases" WHERE "expires_at" > now()
    ON CONFLICT DO NOTHING;
  PERFORM pg_notify('cairn_api_key_changes', changing_xact || ':' || OLD."lookup_id");
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "api_keys_announce_change" AFTER UPDATE OF "revoked_at", "expires_at", "role", "principal", "issuer_id", "employer_id", "recipient_id", "member_id", "secret_hash", "kind", "lookup_id" ON "auth"."api_keys" FOR EACH ROW EXECUTE FUNCTION "auth"."announce_api_key_change"();
--> statement-breakpoint
CREATE TRIGGER "api_keys_announce_deletion" AFTER DELETE ON "auth"."api_keys" FOR EACH ROW EXECUTE FUNCTION "auth"."announce_api_key_change"();
