-- query: detector_cadence
-- params: dt_start, dt_end, window_start, window_end, min_requests, max_gap_seconds
-- Automation cadence per account, as three small aggregates:
--   * activity: distinct active hours and days (around-the-clock use: a script does not sleep);
--   * the hour-of-day profile as n and sum(c * ln c) over the 24 hour-of-day counts, from which the
--     code computes the normalised entropy (1 = perfectly flat day);
--   * inter-arrival gaps from one lag() per account, keeping only gaps up to max_gap_seconds so the
--     coefficient of variation measures pacing inside activity, not the breaks between sessions.
-- Only accounts at or above the volume floor are measured: shape statistics on a few requests are
-- noise. They are numbered once, so the per-request work (the gap window and the hour-of-day
-- counts) sorts and groups on an integer rather than the account id (a third faster at 4M).
WITH scoped AS (
  SELECT account_id, ts, hour_bucket
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
eligible AS (
  SELECT
    account_id,
    row_number() OVER (ORDER BY account_id) AS account_no,
    requests,
    active_hours,
    active_days
  FROM (
    SELECT
      account_id,
      count(*) AS requests,
      count(DISTINCT hour_bucket) AS active_hours,
      count(DISTINCT date_trunc('day', ts)) AS active_days
    FROM scoped
    GROUP BY account_id
    HAVING count(*) >= ?
  ) counted
),
measured AS (
  SELECT e.account_no, s.ts
  FROM scoped s
  JOIN eligible e ON e.account_id = s.account_id
),
hour_of_day AS (
  SELECT account_no, hour(ts) AS hod, count(*) AS c
  FROM measured
  GROUP BY account_no, hour(ts)
),
profile AS (
  SELECT account_no, sum(c * ln(c)) AS c_ln_c, count(*) AS hours_of_day_used
  FROM hour_of_day
  GROUP BY account_no
),
gaps AS (
  SELECT
    account_no,
    to_unixtime(ts) - to_unixtime(lag(ts) OVER (PARTITION BY account_no ORDER BY ts)) AS gap
  FROM measured
),
gap_stats AS (
  SELECT account_no, count(*) AS gaps, avg(gap) AS gap_mean, stddev_samp(gap) AS gap_sd
  FROM gaps
  WHERE gap IS NOT NULL AND gap <= ?
  GROUP BY account_no
)
SELECT
  e.account_id,
  e.requests,
  e.active_hours,
  e.active_days,
  p.c_ln_c,
  p.hours_of_day_used,
  coalesce(g.gaps, 0) AS gaps,
  g.gap_mean,
  g.gap_sd
FROM eligible e
JOIN profile p ON p.account_no = e.account_no
LEFT JOIN gap_stats g ON g.account_no = e.account_no
