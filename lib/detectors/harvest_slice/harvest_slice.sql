-- query: detector_harvest_slice
-- params: dt_start, dt_end, window_start, window_end, min_requests, min_frame_fills, min_frame_unique_share
-- The account's harvest slice: single-turn requests on a frame (skeleton_hash, the template's
-- opening) that carries at least min_frame_fills distinct prompts, nearly all of them unique
-- (min_frame_unique_share). They come back per (account, model, max_tokens, thinking budget) so the
-- code can count those that ask for the model's output or thinking cap from the configuration. A
-- reseller that mixes harvest with its users' traffic keeps that slice whole, however much ordinary
-- traffic surrounds it. The population's median account volume (every account in the window)
-- comes back too: a slice larger than most accounts' whole traffic is a harvest at scale.
WITH scoped AS (
  SELECT account_id, model, max_tokens, thinking_budget, single_turn, skeleton_hash, prompt_hash
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
all_accounts AS (
  SELECT account_id, count(*) AS requests
  FROM scoped
  GROUP BY account_id
),
population AS (
  SELECT approx_percentile(requests, 0.5) AS p50_requests FROM all_accounts
),
per_account AS (
  SELECT * FROM all_accounts WHERE requests >= ?
),
-- distinct prompts per frame in two steps (uses per prompt, then prompts per frame): cheaper than
-- count(DISTINCT)
prompt_uses AS (
  SELECT s.account_id, s.skeleton_hash, s.prompt_hash, count(*) AS uses
  FROM scoped s
  JOIN per_account a ON a.account_id = s.account_id
  GROUP BY s.account_id, s.skeleton_hash, s.prompt_hash
),
frames AS (
  SELECT account_id, skeleton_hash
  FROM prompt_uses
  GROUP BY account_id, skeleton_hash
  HAVING count(*) >= ?
    AND CAST(count(*) AS double) >= ? * sum(uses)
),
slice AS (
  SELECT s.account_id, s.model, s.max_tokens, s.thinking_budget, count(*) AS requests
  FROM scoped s
  JOIN frames f ON f.account_id = s.account_id AND f.skeleton_hash = s.skeleton_hash
  WHERE s.single_turn
  GROUP BY s.account_id, s.model, s.max_tokens, s.thinking_budget
)
SELECT
  a.account_id,
  a.requests,
  sl.model,
  sl.max_tokens,
  sl.thinking_budget,
  sl.requests AS slice_requests,
  p.p50_requests
FROM per_account a
JOIN slice sl ON sl.account_id = a.account_id
CROSS JOIN population p
