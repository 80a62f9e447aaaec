-- query: detector_harvest_slice
-- params: min_requests, min_frame_fills, min_frame_unique_share, dt_start, dt_end, window_start, window_end
-- uses: frame_usage
-- The account's harvest slices, both single-turn: the templated slice, on a frame (skeleton_hash,
-- the template's opening) that carries at least min_frame_fills distinct prompts, nearly all of them
-- unique (min_frame_unique_share); and the elicitation slice, requests that ask for reasoning, for
-- the derivation of a supplied answer or for a grading, whatever their frame. They come back per
-- (account, model, max_tokens, thinking budget) so the code can count those that ask for the
-- model's output or thinking cap from the model catalogue. A reseller that mixes harvest with its
-- users' traffic keeps those slices whole, however much ordinary traffic surrounds them.
-- The population's median account volume (every account in the window)
-- comes back too: a slice larger than most accounts' whole traffic is a harvest at scale.
-- Requests and fills per (account, frame) come from the shared frame_usage relation
-- (lib/sql/frame_usage.sql); only the slice itself reads the features again.
WITH all_accounts AS (
  SELECT account_id, sum(requests) AS requests
  FROM frame_usage
  GROUP BY account_id
),
population AS (
  SELECT approx_percentile(requests, 0.5) AS p50_requests FROM all_accounts
),
per_account AS (
  SELECT * FROM all_accounts WHERE requests >= ?
),
frames AS (
  SELECT u.account_id, u.skeleton_hash
  FROM frame_usage u
  JOIN per_account a ON a.account_id = u.account_id
  WHERE u.fills >= ? AND CAST(u.fills AS double) >= ? * u.requests
),
slice AS (
  SELECT
    f.account_id, f.model, f.max_tokens, f.thinking_budget,
    count_if(fr.account_id IS NOT NULL) AS templated_requests,
    count_if(f.asks_reasoning OR f.asks_reconstruction OR f.asks_grading) AS cued_requests
  FROM request_features f
  JOIN per_account a ON a.account_id = f.account_id
  LEFT JOIN frames fr ON fr.account_id = f.account_id AND fr.skeleton_hash = f.skeleton_hash
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
    AND f.single_turn
    AND (fr.account_id IS NOT NULL OR f.asks_reasoning OR f.asks_reconstruction OR f.asks_grading)
  GROUP BY f.account_id, f.model, f.max_tokens, f.thinking_budget
)
SELECT
  a.account_id,
  a.requests,
  sl.model,
  sl.max_tokens,
  sl.thinking_budget,
  sl.templated_requests,
  sl.cued_requests,
  p.p50_requests
FROM per_account a
JOIN slice sl ON sl.account_id = a.account_id
CROSS JOIN population p
