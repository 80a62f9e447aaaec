-- query: detector_sync_timing
-- params: cluster_members, dt_start, dt_end, window_start, window_end
-- How much the members of each cluster fire in the same minutes, beyond what their hourly rates
-- explain. Per cluster and hour, with c_i(t) a member's requests in minute t and C(t) their sum:
--   Var(C) - sum Var(c_i) = the members' summed pairwise covariances (sum over i != j),
-- normalised by the sum over pairs of sqrt(Var(c_i) Var(c_j)), pooled over hours: the mean
-- pairwise correlation of per-minute activity *within the hour*. Conditioning on the hour removes
-- the shared day rhythm (a campus is busy at noon, quiet at night); what remains is minute-level
-- coordination, which independent people do not have and a controller feeding many accounts does.
-- Variances come from sums and sums of squares over the 60 minutes of the hour, so minutes
-- without requests need no rows. One row per cluster.
-- Cluster membership arrives as one array of "account<US>cluster" pairs (a hash join, not a
-- per-row list lookup, so the cost does not grow with the number of members).
WITH mapping AS (
  SELECT split_part(pair, chr(31), 1) AS account_id, split_part(pair, chr(31), 2) AS cluster_id
  FROM UNNEST(?) AS pairs(pair)
),
members AS (
  SELECT
    m.cluster_id,
    f.account_id,
    f.hour_bucket,
    date_trunc('minute', f.ts) AS minute
  FROM request_features f
  JOIN mapping m ON m.account_id = f.account_id
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
),
member_minute AS (
  SELECT cluster_id, account_id, hour_bucket, minute, count(*) AS n
  FROM members
  GROUP BY cluster_id, account_id, hour_bucket, minute
),
member_hour AS (
  SELECT
    cluster_id,
    hour_bucket,
    account_id,
    sum(n) AS requests,
    sum(n * n) - CAST(sum(n) * sum(n) AS double) / 60e0 AS variance
  FROM member_minute
  GROUP BY cluster_id, hour_bucket, account_id
),
members_per_hour AS (
  SELECT
    cluster_id,
    hour_bucket,
    count(*) AS active_members,
    sum(requests) AS requests,
    sum(variance) AS sum_variance,
    sum(sqrt(greatest(variance, 0e0))) AS sum_sd
  FROM member_hour
  GROUP BY cluster_id, hour_bucket
),
cluster_minute AS (
  SELECT cluster_id, hour_bucket, minute, sum(n) AS n
  FROM member_minute
  GROUP BY cluster_id, hour_bucket, minute
),
cluster_hour AS (
  SELECT
    cluster_id,
    hour_bucket,
    sum(n * n) - CAST(sum(n) * sum(n) AS double) / 60e0 AS variance
  FROM cluster_minute
  GROUP BY cluster_id, hour_bucket
),
hours AS (
  SELECT
    m.cluster_id,
    m.active_members,
    m.requests,
    c.variance - m.sum_variance AS covariance,
    m.sum_sd * m.sum_sd - m.sum_variance AS scale
  FROM members_per_hour m
  JOIN cluster_hour c ON c.cluster_id = m.cluster_id AND c.hour_bucket = m.hour_bucket
)
SELECT
  cluster_id,
  sum(CASE WHEN active_members >= 2 AND scale > 0 THEN 1 ELSE 0 END) AS shared_hours,
  sum(CASE WHEN active_members >= 2 AND scale > 0 THEN covariance ELSE 0e0 END) AS covariance,
  sum(CASE WHEN active_members >= 2 AND scale > 0 THEN scale ELSE 0e0 END) AS scale,
  sum(requests) AS requests,
  max(active_members) AS max_active_members
FROM hours
GROUP BY cluster_id
