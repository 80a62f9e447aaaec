-- query: detector_sync_timing_cycle
-- params: cluster_members, dt_start, dt_end, window_start, window_end
-- Round-robin dispatch inside each cluster: in the cluster's merged request stream (ordered by
-- time), which account sends the next request. A controller cycling through its accounts makes
-- each account's successor nearly always the same one; independent users hand over to whoever
-- happens to be next. Per (cluster, account): transitions, how many switch to another member, its
-- most frequent successor and how many hand-overs went to it. One row per member.
-- Cluster membership arrives as one array of "account<US>cluster" pairs (a hash join, not a
-- per-row list lookup, so the cost does not grow with the number of members). Members are numbered
-- in account order, so the stream's window sorts integers rather than account ids (a quarter
-- faster at 4M) and breaks ties in time exactly as the account ids would. An account belongs to one
-- cluster, so every read of `mapping` numbers it alike.
WITH mapping AS (
  SELECT
    account_id,
    cluster_id,
    row_number() OVER (ORDER BY account_id) AS account_no
  FROM (
    SELECT split_part(pair, chr(31), 1) AS account_id, split_part(pair, chr(31), 2) AS cluster_id
    FROM UNNEST(?) AS pairs(pair)
  ) pairs
),
members AS (
  SELECT
    m.cluster_id,
    m.account_no,
    f.ts
  FROM request_features f
  JOIN mapping m ON m.account_id = f.account_id
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
),
stream AS (
  SELECT
    cluster_id,
    account_no,
    -- ties in time are ordered by account: rows that still tie carry the same account, so the
    -- stream of accounts (all this reads) is the same on every run, without reading request ids
    lead(account_no) OVER (PARTITION BY cluster_id ORDER BY ts, account_no) AS next_no
  FROM members
),
transitions AS (
  SELECT cluster_id, account_no, next_no, count(*) AS n
  FROM stream
  WHERE next_no IS NOT NULL
  GROUP BY cluster_id, account_no, next_no
),
named AS (
  SELECT t.cluster_id, a.account_id, b.account_id AS next_account, t.n
  FROM transitions t
  JOIN mapping a ON a.account_no = t.account_no
  JOIN mapping b ON b.account_no = t.next_no
),
ranked AS (
  SELECT
    cluster_id,
    account_id,
    next_account,
    n,
    row_number() OVER (PARTITION BY cluster_id, account_id ORDER BY n DESC, next_account) AS successor_rank
  FROM named
  WHERE next_account <> account_id
),
usual AS (
  SELECT cluster_id, account_id, next_account AS usual_successor, n AS to_usual
  FROM ranked
  WHERE successor_rank = 1
),
requests AS (
  SELECT counted.cluster_id, m.account_id, counted.requests
  FROM (
    SELECT cluster_id, account_no, count(*) AS requests
    FROM members
    GROUP BY cluster_id, account_no
  ) counted
  JOIN mapping m ON m.account_no = counted.account_no
),
handovers AS (
  SELECT
    cluster_id,
    account_id,
    sum(n) AS transitions,
    sum(CASE WHEN next_account <> account_id THEN n ELSE 0 END) AS switches
  FROM named
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
