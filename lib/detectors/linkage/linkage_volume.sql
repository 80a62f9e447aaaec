-- query: detector_linkage_volume
-- params: dt_start, dt_end, window_start, window_end, cluster_members
-- Each cluster's combined traffic against the population: a hydra spreads its volume so that no
-- member stands out, but the sum of its members is as heavy as the heaviest customers. The
-- account-to-cluster mapping comes in as one array of "account<US>cluster" pairs. One row per cluster.
WITH per_account AS (
  SELECT account_id, count(*) AS requests, sum(output_tokens) AS output_tokens
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  GROUP BY account_id
),
population AS (
  SELECT
    count(*) AS accounts,
    sum(requests) AS requests,
    approx_percentile(requests, 0.5) AS p50_requests,
    approx_percentile(requests, 0.99) AS p99_requests
  FROM per_account
),
mapping AS (
  SELECT split_part(pair, chr(31), 1) AS account_id, split_part(pair, chr(31), 2) AS cluster_id
  FROM UNNEST(?) AS pairs(pair)
),
members AS (
  SELECT m.cluster_id, a.requests, a.output_tokens
  FROM per_account a
  JOIN mapping m ON m.account_id = a.account_id
)
SELECT
  m.cluster_id,
  count(*) AS members,
  sum(m.requests) AS requests,
  sum(m.output_tokens) AS output_tokens,
  max(p.accounts) AS population_accounts,
  max(p.requests) AS population_requests,
  max(p.p50_requests) AS p50_requests,
  max(p.p99_requests) AS p99_requests
FROM members m
CROSS JOIN population p
GROUP BY m.cluster_id
