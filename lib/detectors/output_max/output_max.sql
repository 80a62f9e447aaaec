-- query: detector_output_max
-- params: dt_start, dt_end, window_start, window_end, population_min_requests, min_requests
-- Output maximisation and uniform sampling per account: output and input tokens (with the
-- population median of the output/input ratio over accounts with at least population_min_requests),
-- how many distinct temperatures it uses, and per (account, model) the highest max_tokens requested
-- and how many requests asked for it, which the code compares with the model's configured output
-- cap. Requests without max_tokens or temperature are left out of those shares.
WITH scoped AS (
  SELECT account_id, model, input_tokens, output_tokens, max_tokens, temperature
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
per_account AS (
  SELECT
    account_id,
    count(*) AS requests,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    count(max_tokens) AS with_max_tokens,
    count(temperature) AS with_temperature,
    count(DISTINCT temperature) AS temperatures,
    min(temperature) AS min_temperature,
    max(temperature) AS max_temperature
  FROM scoped
  GROUP BY account_id
),
population AS (
  SELECT approx_percentile(CAST(output_tokens AS double) / greatest(input_tokens, 1), 0.5) AS p50_ratio
  FROM per_account
  WHERE requests >= ?
),
eligible AS (
  SELECT * FROM per_account WHERE requests >= ?
),
caps AS (
  SELECT s.account_id, s.model, s.max_tokens, count(*) AS requests
  FROM scoped s
  JOIN eligible e ON e.account_id = s.account_id
  WHERE s.max_tokens IS NOT NULL
  GROUP BY s.account_id, s.model, s.max_tokens
),
per_model AS (
  SELECT
    account_id,
    model,
    sum(requests) AS model_requests,
    max(max_tokens) AS top_max_tokens,
    max_by(requests, max_tokens) AS at_top_max_tokens
  FROM caps
  GROUP BY account_id, model
)
SELECT
  e.account_id,
  e.requests,
  e.input_tokens,
  e.output_tokens,
  e.with_max_tokens,
  e.with_temperature,
  e.temperatures,
  e.min_temperature,
  e.max_temperature,
  p.p50_ratio,
  m.model,
  m.model_requests,
  m.top_max_tokens,
  m.at_top_max_tokens
FROM eligible e
CROSS JOIN population p
LEFT JOIN per_model m ON m.account_id = e.account_id
