CREATE TABLE "verification"."metric_cohort_cells" (
	"generation" integer NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"from_until" date NOT NULL,
	"to_after" date NOT NULL,
	"standing" integer DEFAULT 0 NOT NULL,
	"verified_credentials" integer DEFAULT 0 NOT NULL,
	"third_party_verifications" integer DEFAULT 0 NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"sharing_recipients" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "metric_cohort_cells_generation_scope_kind_scope_id_from_until_to_after_pk" PRIMARY KEY("generation","scope_kind","scope_id","from_until","to_after")
);
--> statement-breakpoint
-- The cells of the per-credential rows already projected (what domain/cohort-cells.ts computes), so no rebuild is
-- needed: each credential's rectangles [from ≤ issued][lo < to ≤ revoked] per measure; a credential's own are two
-- quadrants (+ at lo, − at revoked); a recipient's, per scope and measure, are the union of theirs, whose weight at
-- each pair of edges is the mixed difference of the union's indicator there.
INSERT INTO "verification"."metric_cohort_cells" ("generation", "scope_kind", "scope_id", "from_until", "to_after", "standing", "verified_credentials", "third_party_verifications", "recipients", "sharing_recipients")
WITH credential AS (
  SELECT c.generation, s.kind, s.id, c.recipient_id, c.third_party_verifications,
    (c.issued_at AT TIME ZONE 'UTC')::date AS issued,
    (c.delivered_at AT TIME ZONE 'UTC')::date AS delivered,
    (c.first_shared_at AT TIME ZONE 'UTC')::date AS shared,
    (c.first_third_party_verified_at AT TIME ZONE 'UTC')::date AS verified,
    (c.revoked_at AT TIME ZONE 'UTC')::date AS revoked
  FROM "verification"."metric_credentials" c
  CROSS JOIN LATERAL (VALUES ('ISSUER', c.issuer_id), ('ACHIEVEMENT', c.achievement_id)) AS s(kind, id)
  WHERE s.id IS NOT NULL
),
rectangle AS (
  SELECT generation, kind, id, NULL::uuid AS recipient_id, 'standing' AS measure, issued AS x, issued AS lo, revoked AS hi, 1 AS weight FROM credential
  UNION ALL SELECT generation, kind, id, NULL, 'third_party_verifications', issued, issued, revoked, third_party_verifications FROM credential WHERE third_party_verifications <> 0
  UNION ALL SELECT generation, kind, id, NULL, 'verified_credentials', issued, greatest(issued, verified), revoked, 1 FROM credential WHERE verified IS NOT NULL
  UNION ALL SELECT generation, kind, id, recipient_id, 'recipients', issued, greatest(issued, delivered), revoked, 1 FROM credential WHERE recipient_id IS NOT NULL AND delivered IS NOT NULL
  UNION ALL SELECT generation, kind, id, recipient_id, 'sharing_recipients', issued, greatest(issued, delivered, shared), revoked, 1 FROM credential WHERE recipient_id IS NOT NULL AND delivered IS NOT NULL AND shared IS NOT NULL
),
-- grp: one key per scope, recipient and measure, so the union's join is planned on one column (as five, its size
-- was guessed at one row and joined by nested loop).
live AS (
  SELECT *, dense_rank() OVER (ORDER BY generation, kind, id, recipient_id, measure) AS grp
  FROM rectangle WHERE hi IS NULL OR hi > lo
),
own AS (
  SELECT generation, kind, id, measure, x, lo AS y, weight FROM live WHERE recipient_id IS NULL
  UNION ALL SELECT generation, kind, id, measure, x, hi, -weight FROM live WHERE recipient_id IS NULL AND hi IS NOT NULL
),
edge_x AS (SELECT DISTINCT grp, generation, kind, id, measure, x FROM live WHERE recipient_id IS NOT NULL),
edge_y AS (
  SELECT grp, lo AS y FROM live WHERE recipient_id IS NOT NULL
  UNION SELECT grp, hi FROM live WHERE recipient_id IS NOT NULL AND hi IS NOT NULL
),
corner AS (
  SELECT e.grp, e.generation, e.kind, e.id, e.measure, e.x, f.y FROM edge_x e JOIN edge_y f ON f.grp = e.grp
),
held AS (
  SELECT c.generation, c.kind, c.id, c.measure, c.x, c.y,
    bool_or(c.x <= l.x AND l.lo < c.y + 1 AND (l.hi IS NULL OR c.y + 1 <= l.hi))::int
    - bool_or(c.x + 1 <= l.x AND l.lo < c.y + 1 AND (l.hi IS NULL OR c.y + 1 <= l.hi))::int
    - bool_or(c.x <= l.x AND l.lo < c.y AND (l.hi IS NULL OR c.y <= l.hi))::int
    + bool_or(c.x + 1 <= l.x AND l.lo < c.y AND (l.hi IS NULL OR c.y <= l.hi))::int AS weight
  FROM corner c JOIN live l ON l.grp = c.grp
  GROUP BY c.grp, c.generation, c.kind, c.id, c.measure, c.x, c.y
),
cell AS (
  SELECT generation, kind, id, x, y,
    coalesce(sum(weight) FILTER (WHERE measure = 'standing'), 0) AS standing,
    coalesce(sum(weight) FILTER (WHERE measure = 'verified_credentials'), 0) AS verified_credentials,
    coalesce(sum(weight) FILTER (WHERE measure = 'third_party_verifications'), 0) AS third_party_verifications,
    coalesce(sum(weight) FILTER (WHERE measure = 'recipients'), 0) AS recipients,
    coalesce(sum(weight) FILTER (WHERE measure = 'sharing_recipients'), 0) AS sharing_recipients
  FROM (SELECT * FROM own UNION ALL SELECT * FROM held) AS quadrant
  GROUP BY generation, kind, id, x, y
)
SELECT * FROM cell
WHERE standing <> 0 OR verified_credentials <> 0 OR third_party_verifications <> 0 OR recipients <> 0 OR sharing_recipients <> 0;
