-- The sequencer's run (lib/events/sequencer.ts) in one statement: look for unnumbered events, take the sequencer's
-- lock, number them, notify the readers, commit. As separate statements that was six round trips, and every event
-- reaches its subscribers only after them. A VOLATILE function takes a fresh snapshot for each statement it runs, so
-- the numbering statement, which starts after the lock is granted, sees everything the previous run numbered, as a
-- statement after the lock in a transaction of its own did; the lock is held until the calling statement commits.
CREATE OR REPLACE FUNCTION "events"."sequence_committed"(lock_key bigint, batch_size integer, channel text)
RETURNS TABLE ("through_cursor" bigint, "numbered_count" bigint, "numbered_types" text) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  numbered_count := 0;
  IF NOT EXISTS (SELECT 1 FROM "events"."events" WHERE "cursor" IS NULL) THEN
    RETURN NEXT;
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(lock_key);
  WITH pending AS (
    SELECT e."seq", row_number() OVER (ORDER BY e."seq") AS position
    FROM "events"."events" e WHERE e."cursor" IS NULL ORDER BY e."seq" LIMIT batch_size
  ), counted AS (
    SELECT count(*)::bigint AS n FROM pending
  ), advanced AS (
    UPDATE "events"."log_sequence" s SET "last_cursor" = s."last_cursor" + (SELECT n FROM counted)
    WHERE s."log" = 'events' RETURNING s."last_cursor"
  ), numbered AS (
    UPDATE "events"."events" e SET "cursor" = (SELECT a."last_cursor" FROM advanced a) - (SELECT n FROM counted) + pending.position
    FROM pending WHERE e."seq" = pending."seq" RETURNING e."cursor"
  )
  SELECT (SELECT a."last_cursor" FROM advanced a), (SELECT count(*) FROM numbered),
    (SELECT string_agg(DISTINCT e."type", ',') FROM "events"."events" e WHERE e."seq" IN (SELECT p."seq" FROM pending p))
  INTO through_cursor, numbered_count, numbered_types;
  -- Delivered when this statement commits, i.e. once the numbers are visible. The payload is "<newest cursor>
  -- <type>,<type>…" (parseSequencedNotice); NOTIFY payloads stop at 8000 bytes, and type names are few and short.
  IF numbered_count > 0 THEN
    PERFORM pg_notify(channel, CASE WHEN numbered_types IS NULL THEN through_cursor::text ELSE through_cursor || ' ' || numbered_types END);
  END IF;
  RETURN NEXT;
END
$$;
