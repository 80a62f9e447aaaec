-- query: detector_linkage_network
-- params: dt_start, dt_end, window_start, window_end, allow_accounts, dt_start, dt_end, window_start, window_end, allow_accounts, skip_asns, max_cell_accounts, max_accounts, max_share, min_shared_hours
-- Pairs of accounts that send from the same client network (/24 or /48) in the same hour, in
-- several distinct hours: one coincidence (a conference Wi-Fi, a café) links nobody, a shared
-- proxy or office used day after day does. Hubs are cut before pairing, which also bounds the
-- pairs: a network-hour with more accounts than a cap (a carrier NAT) and a network touched by
-- too many accounts or too large a share of them. Networks of configured ASNs (by default the
-- big hosting providers, where unrelated servers share ranges) are skipped. One row per pair:
-- its strongest network and the number of hours they shared it.
WITH scoped AS (
  SELECT account_id, client_network, hour_bucket
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
    AND NOT contains(?, account_id)
),
population AS (
  SELECT count(DISTINCT account_id) AS accounts FROM scoped
),
cells AS (
  SELECT DISTINCT f.account_id, f.client_network, f.hour_bucket
  FROM request_features f
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
    AND f.client_network IS NOT NULL
    AND NOT contains(?, f.account_id)
    AND NOT contains(?, coalesce(CAST(f.source_asn AS varchar), ''))
),
cell_size AS (
  SELECT client_network, hour_bucket, count(*) AS accounts
  FROM cells
  GROUP BY client_network, hour_bucket
),
network_size AS (
  SELECT client_network, count(DISTINCT account_id) AS accounts
  FROM cells
  GROUP BY client_network
),
eligible AS (
  SELECT c.account_id, c.client_network, c.hour_bucket, n.accounts AS network_accounts
  FROM cells c
  JOIN cell_size s ON s.client_network = c.client_network AND s.hour_bucket = c.hour_bucket
  JOIN network_size n ON n.client_network = c.client_network
  CROSS JOIN population p
  WHERE s.accounts BETWEEN 2 AND ?
    AND n.accounts <= ?
    AND CAST(n.accounts AS double) / p.accounts <= ?
),
pair_networks AS (
  SELECT
    a.account_id AS account_a,
    b.account_id AS account_b,
    a.client_network,
    a.network_accounts,
    count(*) AS shared_hours
  FROM eligible a
  JOIN eligible b
    ON b.client_network = a.client_network AND b.hour_bucket = a.hour_bucket
   AND a.account_id < b.account_id
  GROUP BY a.account_id, b.account_id, a.client_network, a.network_accounts
),
ranked AS (
  SELECT
    pn.*,
    row_number() OVER (
      PARTITION BY account_a, account_b ORDER BY shared_hours DESC, client_network
    ) AS network_rank
  FROM pair_networks pn
)
SELECT
  r.account_a,
  r.account_b,
  r.client_network AS network,
  r.network_accounts,
  r.shared_hours,
  p.accounts AS population_accounts
FROM ranked r
CROSS JOIN population p
WHERE r.network_rank = 1 AND r.shared_hours >= ?
