-- Verdicts cached before checks had outcomes judged a subject-less credential or an unknown issuer differently.
-- The verdict cache is only a cache: emptied once here, each verdict is judged again on its next read.
DELETE FROM "verification"."credential_verdicts";
