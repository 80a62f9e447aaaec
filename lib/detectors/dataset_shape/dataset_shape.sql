-- query: detector_dataset_shape
-- params: dt_start, dt_end, window_start, window_end, min_requests
-- uses: frame_usage
-- The shape of a data set run through the API, per account: single-turn share (over requests whose
-- turn count is known), requests that continue a conversation (a conversation id seen more than
-- once), and exact repeats (distinct prompt hashes per request, summed from frame_usage's fills).
WITH scoped AS (
  SELECT account_id, turns, conversation_hash
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
),
per_account AS (
  SELECT
    account_id,
    count(*) AS requests,
    count(turns) AS with_turns,
    count_if(turns <= 1) AS single_turn,
    count(conversation_hash) AS with_conversation
  FROM scoped
  GROUP BY account_id
  HAVING count(*) >= ?
),
prompts AS (
  SELECT account_id, sum(fills) AS distinct_prompts
  FROM frame_usage
  GROUP BY account_id
),
conversations AS (
  SELECT s.account_id, s.conversation_hash, count(*) AS uses
  FROM scoped s
  JOIN per_account a ON a.account_id = s.account_id
  WHERE s.conversation_hash IS NOT NULL
  GROUP BY s.account_id, s.conversation_hash
),
continued AS (
  SELECT account_id, sum(CASE WHEN uses > 1 THEN uses ELSE 0 END) AS continued_requests
  FROM conversations
  GROUP BY account_id
)
SELECT
  a.account_id,
  a.requests,
  a.with_turns,
  a.single_turn,
  a.with_conversation,
  coalesce(c.continued_requests, 0) AS continued_requests,
  p.distinct_prompts
FROM per_account a
JOIN prompts p ON p.account_id = a.account_id
LEFT JOIN continued c ON c.account_id = a.account_id
