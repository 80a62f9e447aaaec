-- query: detector_sync_timing_cycle
-- params: cluster_members, dt_start, dt_end, window_start, window_end
-- Round-robin dispatch inside each cluster: in the cluster's merged request stream (ordered by
-- time), which account sends the next request. A controller cycling through its accounts makes
-- each account's successor nearly always the same one; independent users hand over to whoever
-- happens to be next. Per (cluster, account): transitions, how many switch to another member, its
-- most frequent successor and how many hand-overs went to it. One row per member.
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
    f.ts
  FROM request_features f
  JOIN mapping m ON m.account_id = f.account_id
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
),
stream AS (
  SELECT
    cluster_id,
    account_id,
    -- ties in time are ordered by account: rows that still tie carry the same account, so the
    -- stream of accounts (all this reads) is the same on every run, without reading request ids
    lead(account_id) OVER (PARTITION BY cluster_id ORDER BY ts, account_id) AS next_account
  FROM members
),
transitions AS (
  SELECT cluster_id, account_id, next_account, count(*) AS n
  FROM stream
  WHERE next_account IS NOT NULL
  GROUP BY cluster_id, account_id, next_account
),
ranked AS (
  SELECT
    cluster_id,
    account_id,
    next_account,
    n,
    row_number() OVER (PARTITION BY cluster_id, account_id ORDER BY n DESC, next_account) AS successor_rank
  FROM transitions
  WHERE next_account <> account_id
),
usual AS (
  SELECT cluster_id, account_id, next_account AS usual_successor, n AS to_usual
  FROM ranked
  WHERE successor_rank = 1
),
requests AS (
  SELECT cluster_id, account_id, count(*) AS requests
  FROM members
  GROUP BY cluster_id, account_id
),
handovers AS (
  SELECT
    cluster_id,
    account_id,
    sum(n) AS transitions,
    sum(CASE WHEN next_account <> account_id THEN n ELSE 0 END) AS switches
  FROM transitions
  GROUP BY cluster_id, account_id
)
SELECT
  r.cluster_id,
  r.account_id,
  r.requests,
  coalesce(h.transitions, 0) AS transitions,
  coalesce(h.switches, 0) AS switches,
  u.usual_successor,
  coalesce(u.to_usual, 0) AS top_successor
FROM requests r
LEFT JOIN handovers h ON h.cluster_id = r.cluster_id AND h.account_id = r.account_id
LEFT JOIN usual u ON u.cluster_id = r.cluster_id AND u.account_id = r.account_id
