-- Duplicate request ids (DuckDB dialect) in the chunk of days just written to the feature store.
-- The rule is DUPLICATE_REJECT_REASON in lib/engine/port.ts, the one the Athena compaction applies;
-- here it ranks only the rows of ids seen more than once in a day, so no window runs over every
-- compact row. Parameters: the chunk's first and last day.
UPDATE feature_store.request_features
SET reject_reason = ranked.reject_reason
FROM (
  SELECT row_ref, reject_reason
  FROM (
    SELECT
      f.rowid AS row_ref,
      f.reject_reason IS NULL AS accepted,
      {{reject_reason}} AS reject_reason
    FROM feature_store.request_features f
    JOIN (
      SELECT dt, request_id
      FROM feature_store.request_features
      WHERE dt BETWEEN ? AND ? AND request_id IS NOT NULL
      GROUP BY dt, request_id
      HAVING count(*) > 1
    ) repeated USING (dt, request_id)
  ) candidates
  WHERE accepted AND reject_reason IS NOT NULL
) ranked
WHERE feature_store.request_features.rowid = ranked.row_ref
