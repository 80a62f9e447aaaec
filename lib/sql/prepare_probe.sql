-- query: prepare_probe
-- params: dt_start, dt_end, window_start, window_end
-- One cheap query instead of a pass over the logs, run by the Athena engine once the window's
-- features are compacted: how many feature rows the window has, and whether the accounts table has
-- any record (LIMIT 1: Athena stops at the first).
SELECT f.feature_rows, a.accounts_present
FROM (
  SELECT count(*) AS feature_rows
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND (hour_bucket IS NULL OR (hour_bucket >= ? AND hour_bucket < ?))
) f
CROSS JOIN (
  SELECT count(*) AS accounts_present FROM (SELECT 1 AS present FROM accounts LIMIT 1) first_account
) a
