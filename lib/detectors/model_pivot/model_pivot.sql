-- query: detector_model_pivot
-- params: model_aliases, dt_start, dt_end, window_start, window_end, release_models, release_models, release_epochs, release_models, dated_models, window_start, min_unseen_hours, min_adopters, min_new_requests
-- Newly seen models and who moved to them within 24 hours. A model is new when the model catalogue
-- dates its release inside (or just before) the window, or, for models the catalogue does not date,
-- when the window shows no request for it in its first hours and then some. For each new model:
-- every account that used it in the 24 hours after its release, with its traffic in those hours,
-- how much of that went to the new model, and what the population did in the same 24 hours (the
-- median account's share: robust to a large campaign moving at once). Times are compared as epoch seconds so both engines agree on time zones.
-- Every id a model is called by (undated alias, Bedrock id, inference profile) arrives as one array
-- of "alias<US>canonical" pairs and is read as its canonical id, so a model reached through Bedrock
-- and through the provider's own API is one model, first seen once (a hash join, not a per-row
-- lookup in a list).
WITH model_aliases AS (
  SELECT split_part(pair, chr(31), 1) AS alias, split_part(pair, chr(31), 2) AS canonical
  FROM UNNEST(?) AS pairs(pair)
),
scoped AS (
  SELECT f.account_id, coalesce(a.canonical, f.model) AS model, to_unixtime(f.ts) AS t
  FROM request_features f
  LEFT JOIN model_aliases a ON a.alias = f.model
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
),
first_seen AS (
  SELECT model, min(t) AS first_t
  FROM scoped
  GROUP BY model
),
releases AS (
  SELECT
    f.model,
    CASE
      WHEN contains(?, f.model) THEN CAST(element_at(map(?, ?), f.model) AS double)
      ELSE f.first_t
    END AS released
  FROM first_seen f
  WHERE contains(?, f.model)
     OR (NOT contains(?, f.model) AND f.first_t >= to_unixtime(?) + ? * 3600e0)
),
after AS (
  SELECT r.model AS new_model, r.released, s.account_id, s.model
  FROM scoped s
  JOIN releases r ON s.t >= r.released AND s.t < r.released + 86400e0
),
per_account AS (
  SELECT
    new_model,
    account_id,
    count(*) AS requests,
    sum(CASE WHEN model = new_model THEN 1 ELSE 0 END) AS on_new
  FROM after
  GROUP BY new_model, account_id
),
before AS (
  SELECT r.model AS new_model, s.account_id, count(*) AS requests
  FROM scoped s
  JOIN releases r ON s.t < r.released
  GROUP BY r.model, s.account_id
),
population AS (
  SELECT
    new_model,
    count(*) AS accounts,
    sum(CASE WHEN on_new > 0 THEN 1 ELSE 0 END) AS adopters,
    sum(requests) AS requests,
    sum(on_new) AS on_new,
    approx_percentile(CAST(on_new AS double) / requests, 0.5) AS median_share
  FROM per_account
  GROUP BY new_model
)
SELECT
  p.new_model,
  r.released,
  p.account_id,
  p.requests,
  p.on_new,
  coalesce(b.requests, 0) AS requests_before,
  pop.accounts AS population_accounts,
  pop.adopters AS population_adopters,
  pop.requests AS population_requests,
  pop.on_new AS population_on_new,
  pop.median_share AS population_median_share
FROM per_account p
JOIN population pop ON pop.new_model = p.new_model
JOIN releases r ON r.model = p.new_model
LEFT JOIN before b ON b.new_model = p.new_model AND b.account_id = p.account_id
WHERE pop.adopters >= ? AND p.on_new >= ?
