-- query: evidence_breakdown
-- params: dt_start, dt_end, window_start, window_end, accounts, top_n
-- What the flagged accounts sent, by dimension: their top skeletons (hash and masked excerpt),
-- client networks, user agents and models, plus requests per hour for the traffic chart.
WITH scoped AS (
  SELECT *
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
    AND account_id IN (SELECT subject FROM UNNEST(?) AS subjects(subject))
),
dims AS (
  SELECT account_id, 'skeleton' AS dimension, CAST(skeleton_hash AS varchar) AS item,
    -- min, not arbitrary: a hash covers 48 characters, the excerpt 80; evidence must be reproducible
    min(skeleton_excerpt) AS detail, count(*) AS requests
  FROM scoped GROUP BY account_id, skeleton_hash
  UNION ALL
  SELECT account_id, 'network', client_network, NULL, count(*)
  FROM scoped WHERE client_network IS NOT NULL GROUP BY account_id, client_network
  UNION ALL
  SELECT account_id, 'user_agent', user_agent, NULL, count(*)
  FROM scoped WHERE user_agent IS NOT NULL GROUP BY account_id, user_agent
  UNION ALL
  SELECT account_id, 'model', model, NULL, count(*)
  FROM scoped GROUP BY account_id, model
  UNION ALL
  SELECT account_id, 'hour', CAST(hour_bucket AS varchar), NULL, count(*)
  FROM scoped GROUP BY account_id, hour_bucket
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY account_id, dimension ORDER BY requests DESC, item) AS item_rank
  FROM dims
)
SELECT account_id, dimension, item, detail, requests
FROM ranked
WHERE dimension = 'hour' OR item_rank <= ?
