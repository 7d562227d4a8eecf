DROP TABLE "verification"."issuer_metrics" CASCADE;--> statement-breakpoint
-- The per-issuer counters' consumer is gone: its checkpoint would hold event retention back for good.
DELETE FROM "events"."consumer_checkpoints" WHERE "consumer" = 'verification.issuer-metrics';
