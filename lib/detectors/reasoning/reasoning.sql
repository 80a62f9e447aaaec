-- query: detector_reasoning
-- params: dt_start, dt_end, window_start, window_end, population_min_requests, min_requests
-- uses: frame_usage
-- Reasoning-trace elicitation per account. Each share counts DISTINCT prompts carrying the cue per
-- request (frame_usage's fills), so an evaluation harness that replays the same items run after
-- run scores its unique items only, while a harvester feeding a data set scores every request. The population median of
-- the reasoning share (accounts with at least population_min_requests) lets the code ignore a cue
-- that is simply normal in this population. Thinking budgets come back per (account, model): the
-- highest budget used and how many requests used it, which the code compares with the model's
-- thinking cap from the model catalogue.
WITH scoped AS (
  SELECT account_id, model, thinking_budget, asks_reasoning
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
prompts AS (
  SELECT
    account_id,
    sum(reasoning_fills) AS reasoning,
    sum(reconstruction_fills) AS reconstruction,
    sum(grading_fills) AS grading,
    sum(rewrite_fills) AS rewrite
  FROM frame_usage
  GROUP BY account_id
),
per_account AS (
  SELECT r.account_id, r.requests, p.reasoning, p.reconstruction, p.grading, p.rewrite, r.reasoning_requests
  FROM (
    SELECT account_id, count(*) AS requests, count_if(asks_reasoning) AS reasoning_requests
    FROM scoped
    GROUP BY account_id
  ) r
  JOIN prompts p ON p.account_id = r.account_id
),
population AS (
  SELECT approx_percentile(CAST(reasoning AS double) / requests, 0.5) AS p50_reasoning_share
  FROM per_account
  WHERE requests >= ?
),
eligible AS (
  SELECT * FROM per_account WHERE requests >= ?
),
budgets AS (
  SELECT s.account_id, s.model, s.thinking_budget, count(*) AS requests
  FROM scoped s
  JOIN eligible e ON e.account_id = s.account_id
  GROUP BY s.account_id, s.model, s.thinking_budget
),
per_model AS (
  SELECT
    account_id,
    model,
    sum(requests) AS model_requests,
    max(thinking_budget) AS top_budget,
    max_by(requests, thinking_budget) AS at_top_budget
  FROM budgets
  GROUP BY account_id, model
)
SELECT
  e.account_id,
  e.requests,
  e.reasoning,
  e.reconstruction,
  e.grading,
  e.rewrite,
  e.reasoning_requests,
  p.p50_reasoning_share,
  m.model,
  m.model_requests,
  m.top_budget,
  m.at_top_budget
FROM eligible e
JOIN per_model m ON m.account_id = e.account_id
CROSS JOIN population p
