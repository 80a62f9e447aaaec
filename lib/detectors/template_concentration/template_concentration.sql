-- query: detector_template_concentration
-- params: frame_chars, dt_start, dt_end, window_start, window_end, allowlisted_skeletons, allowlisted_skeletons, min_requests, min_frame_requests, min_frame_share
-- Per account: how much of its traffic sits on a few prompt frames, and how unique the prompts
-- filled into them are. A frame is the opening of the prompt's skeleton (numbers, quotes, code,
-- names and URLs masked, case folded), its first frame_chars characters: a template's instructions
-- open the prompt, while the data-set payload that follows makes every full skeleton different.
-- A frame counts as one of the account's templates when it carries at least min_frame_requests
-- requests and min_frame_share of the account's traffic. Allowlisted skeletons and frames (signed
-- decimal hashes) are left out before anything is counted.
WITH scoped AS (
  SELECT account_id, substr(skeleton_excerpt, 1, ?) AS frame, prompt_hash
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND ts >= ? AND ts < ? AND reject_reason IS NULL
    AND NOT contains(?, CAST(skeleton_hash AS varchar))
),
per_frame AS (
  SELECT account_id, frame, count(*) AS requests, count(DISTINCT prompt_hash) AS distinct_prompts
  FROM scoped
  GROUP BY account_id, frame
),
kept AS (
  SELECT account_id, requests, distinct_prompts, frame_hash
  FROM (
    SELECT *, CAST(from_big_endian_64(xxhash64(to_utf8(frame))) AS varchar) AS frame_hash
    FROM per_frame
  ) hashed
  WHERE NOT contains(?, frame_hash)
),
per_account AS (
  SELECT account_id, sum(requests) AS requests, count(*) AS frames
  FROM kept
  GROUP BY account_id
  HAVING sum(requests) >= ?
),
marked AS (
  SELECT k.*, a.requests AS account_requests, a.frames,
    k.requests >= ? AND CAST(k.requests AS double) >= ? * a.requests AS is_template
  FROM kept k
  JOIN per_account a ON a.account_id = k.account_id
)
SELECT
  account_id,
  max(account_requests) AS requests,
  max(frames) AS frames,
  count_if(is_template) AS template_frames,
  coalesce(sum(CASE WHEN is_template THEN requests END), 0) AS templated_requests,
  coalesce(sum(CASE WHEN is_template THEN distinct_prompts END), 0) AS templated_distinct_prompts,
  max(requests) AS top_frame_requests,
  max_by(frame_hash, requests) AS top_frame
FROM marked
GROUP BY account_id
