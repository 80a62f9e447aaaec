-- query: detector_template_concentration
-- params: allowlisted_skeletons, min_requests, min_frame_requests, min_frame_share
-- uses: frame_usage
-- Per account: how much of its traffic sits on a few prompt frames, and how unique the prompts
-- filled into them are. A frame is the skeleton hash: the opening 48 characters of the prompt with
-- numbers, quotes, code, names and URLs masked and case folded (lib/sql/features.sql): a
-- template's instructions open the prompt, the data-set payload follows. A frame counts as one of
-- the account's templates when it carries at least min_frame_requests requests and min_frame_share
-- of the account's traffic. Allowlisted frames (signed decimal hashes) are left out before
-- anything is counted. Requests and distinct prompts per (account, frame) come from the shared
-- frame_usage relation (lib/sql/frame_usage.sql).
WITH kept AS (
  SELECT account_id, CAST(skeleton_hash AS varchar) AS frame_hash, requests, fills AS distinct_prompts
  FROM frame_usage
  WHERE NOT contains(?, CAST(skeleton_hash AS varchar))
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
  -- ties broken by hash, so re-running a window names the same top frame
  max_by(frame_hash, ROW(requests, frame_hash)) AS top_frame
FROM marked
GROUP BY account_id
