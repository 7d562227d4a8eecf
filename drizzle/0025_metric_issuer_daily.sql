CREATE TABLE "verification"."metric_issuer_daily" (
	"generation" integer NOT NULL,
	"issuer_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_issuer_daily_generation_issuer_id_day_kind_detail_pk" PRIMARY KEY("generation","issuer_id","day","kind","detail")
);
--> statement-breakpoint
-- The issuer sums of the day counts already projected, so no rebuild is needed.
INSERT INTO "verification"."metric_issuer_daily" ("generation", "issuer_id", "day", "kind", "detail", "count", "updated_at")
SELECT "generation", "issuer_id", "day", "kind", "detail", sum("count"), max("updated_at") FROM "verification"."metric_daily"
GROUP BY "generation", "issuer_id", "day", "kind", "detail";
