-- query: detector_capability
-- params: dt_start, dt_end, window_start, window_end, target_capabilities, population_min_requests, min_requests
-- Capability mix per account, as one row per (account, capability category): requests, requests
-- whose turn count is known, and standalone requests (a single turn outside any conversation). The
-- population median of the targeted share (accounts with at least population_min_requests) lets the
-- code ignore a focus that is simply normal in this population, e.g. at a coding-first provider.
WITH scoped AS (
  SELECT account_id, capability, turns, conversation_hash
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
per_category AS (
  SELECT
    account_id,
    capability,
    count(*) AS requests,
    count(turns) AS with_turns,
    count_if(turns <= 1 AND conversation_hash IS NULL) AS standalone
  FROM scoped
  GROUP BY account_id, capability
),
per_account AS (
  SELECT
    account_id,
    sum(requests) AS requests,
    sum(CASE WHEN contains(?, capability) THEN requests ELSE 0 END) AS targeted
  FROM per_category
  GROUP BY account_id
),
population AS (
  SELECT approx_percentile(CAST(targeted AS double) / requests, 0.5) AS p50_targeted_share
  FROM per_account
  WHERE requests >= ?
)
SELECT
  c.account_id,
  c.capability,
  c.requests,
  c.with_turns,
  c.standalone,
  a.requests AS account_requests,
  p.p50_targeted_share
FROM per_category c
JOIN per_account a ON a.account_id = c.account_id
CROSS JOIN population p
WHERE a.requests >= ?
