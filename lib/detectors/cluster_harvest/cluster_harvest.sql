-- query: detector_cluster_harvest
-- params: cluster_members, dt_start, dt_end, window_start, window_end, target_capabilities
-- uses: frame_usage
-- What a linked cluster's pooled traffic is for. A hydra spreads its harvest so thinly that no
-- head reaches the account detectors' volume floors; pooled, its members are one operator with one
-- data set. Per cluster: requests, distinct prompts, distinct prompts that elicit reasoning, supply
-- an answer for reconstruction or ask for a grading (from the shared frame_usage relation), and
-- standalone requests (a single turn outside any conversation) in targeted capabilities. Per
-- (cluster, model): requests with max_tokens, the highest max_tokens asked and how many asked for
-- it, and the same for the thinking budget, which the code compares with the model catalogue.
-- The account-to-cluster mapping comes in as one array of "account<US>cluster" pairs.
WITH mapping AS (
  SELECT split_part(pair, chr(31), 1) AS account_id, split_part(pair, chr(31), 2) AS cluster_id
  FROM UNNEST(?) AS pairs(pair)
),
pooled_fills AS (
  SELECT
    m.cluster_id,
    sum(u.requests) AS requests,
    sum(u.fills) AS fills,
    sum(greatest(u.reasoning_fills, u.reconstruction_fills, u.grading_fills)) AS elicitation_fills
  FROM frame_usage u
  JOIN mapping m ON m.account_id = u.account_id
  GROUP BY m.cluster_id
),
scoped AS (
  SELECT m.cluster_id, f.model, f.max_tokens, f.thinking_budget, f.capability, f.turns, f.conversation_hash
  FROM request_features f
  JOIN mapping m ON m.account_id = f.account_id
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
),
pooled_shape AS (
  SELECT
    cluster_id,
    count_if(coalesce(turns, 1) <= 1 AND conversation_hash IS NULL) AS standalone,
    count_if(coalesce(turns, 1) <= 1 AND conversation_hash IS NULL AND contains(?, capability))
      AS targeted_standalone
  FROM scoped
  GROUP BY cluster_id
),
output_caps AS (
  SELECT cluster_id, model, max_tokens, count(*) AS requests
  FROM scoped
  WHERE max_tokens IS NOT NULL
  GROUP BY cluster_id, model, max_tokens
),
thinking_caps AS (
  SELECT cluster_id, model, thinking_budget, count(*) AS requests
  FROM scoped
  WHERE thinking_budget > 0
  GROUP BY cluster_id, model, thinking_budget
),
per_model AS (
  SELECT
    o.cluster_id,
    o.model,
    sum(o.requests) AS with_max_tokens,
    max(o.max_tokens) AS top_max_tokens,
    max_by(o.requests, o.max_tokens) AS at_top_max_tokens
  FROM output_caps o
  GROUP BY o.cluster_id, o.model
),
per_model_thinking AS (
  SELECT
    cluster_id,
    model,
    max(thinking_budget) AS top_thinking_budget,
    max_by(requests, thinking_budget) AS at_top_thinking_budget
  FROM thinking_caps
  GROUP BY cluster_id, model
)
SELECT
  p.cluster_id,
  p.requests,
  p.fills,
  p.elicitation_fills,
  s.standalone,
  s.targeted_standalone,
  m.model,
  m.with_max_tokens,
  m.top_max_tokens,
  m.at_top_max_tokens,
  t.top_thinking_budget,
  t.at_top_thinking_budget
FROM pooled_fills p
JOIN pooled_shape s ON s.cluster_id = p.cluster_id
LEFT JOIN per_model m ON m.cluster_id = p.cluster_id
LEFT JOIN per_model_thinking t ON t.cluster_id = m.cluster_id AND t.model = m.model
