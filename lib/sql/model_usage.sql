-- query: model_usage
-- params: dt_start, dt_end, window_start, window_end
-- Per model id in the window: how many requests it served and the highest max_tokens and thinking
-- budget any request asked of it. For a model the catalogue lacks, those highs stand in for its
-- output and thinking caps (a harvester asks for the most the API accepts, so the window's highest
-- request is the best evidence of the cap there is); the audit names such models in its data
-- quality notes. A thinking budget of 0 means the request did not think.
SELECT
  model,
  count(*) AS requests,
  max(max_tokens) AS top_max_tokens,
  max(nullif(thinking_budget, 0)) AS top_thinking_budget
FROM request_features
WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  AND model IS NOT NULL
GROUP BY model
