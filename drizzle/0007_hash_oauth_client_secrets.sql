-- Registered OAuth clients' secrets were stored as given (issue 10, item 13). Each is replaced by its SHA-256 in the
-- form the OAuth server now stores and compares (`sha256:` + base64url, unpadded: ob-api/oauth-adapter.ts), so the
-- clients registered before keep authenticating with the secret they hold. Secrets already hashed are left alone.
UPDATE "recipients"."oauth_records"
SET "payload" = jsonb_set(
  "payload",
  '{client_secret}',
  to_jsonb('sha256:' || rtrim(translate(encode(sha256(convert_to("payload"->>'client_secret', 'UTF8')), 'base64'), '+/', '-_'), '='))
)
WHERE "model" = 'Client'
  AND jsonb_typeof("payload"->'client_secret') = 'string'
  AND "payload"->>'client_secret' NOT LIKE 'sha256:%';
