-- query: detector_volume
-- params: dt_start, dt_end, window_start, window_end, min_requests
-- Per-account volume against the population: requests and output tokens, the population's
-- percentiles, and the account's age when it first appears in the window. Only accounts above the
-- population median and above a floor come back; everyone else is unremarkable on volume.
WITH per_account AS (
  SELECT
    account_id,
    count(*) AS requests,
    sum(output_tokens) AS output_tokens,
    min(ts) AS first_seen,
    count(DISTINCT date_trunc('day', ts)) AS active_days
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  GROUP BY account_id
),
population AS (
  SELECT
    count(*) AS accounts,
    approx_percentile(requests, 0.5) AS p50_requests,
    approx_percentile(requests, 0.9) AS p90_requests,
    approx_percentile(requests, 0.99) AS p99_requests,
    approx_percentile(output_tokens, 0.5) AS p50_output_tokens,
    approx_percentile(output_tokens, 0.99) AS p99_output_tokens
  FROM per_account
)
SELECT
  a.account_id,
  a.requests,
  a.output_tokens,
  a.active_days,
  a.first_seen,
  acc.created_at,
  (to_unixtime(a.first_seen) - to_unixtime(acc.created_at)) / 86400e0 AS age_days_at_first_seen,
  p.accounts,
  p.p50_requests,
  p.p90_requests,
  p.p99_requests,
  p.p50_output_tokens,
  p.p99_output_tokens
FROM per_account a
CROSS JOIN population p
LEFT JOIN accounts acc ON acc.account_id = a.account_id
WHERE a.requests > p.p50_requests AND a.requests >= ?
