-- query: frame_usage
-- params: dt_start, dt_end, window_start, window_end
-- relation: frame_usage
-- Shared by the template detectors, the harvest slice and linkage: per (account, frame) of the
-- window, its requests and its fills (distinct prompts). A frame is the skeleton hash, the
-- template's opening (lib/sql/features.sql). Distinct prompts are counted in two steps (uses per
-- prompt, then prompts per frame), which is cheaper than count(DISTINCT). Allowlists are applied
-- by each reader: this relation holds every account and frame.
SELECT account_id, skeleton_hash, sum(uses) AS requests, count(*) AS fills
FROM (
  SELECT account_id, skeleton_hash, prompt_hash, count(*) AS uses
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  GROUP BY account_id, skeleton_hash, prompt_hash
) prompt_uses
GROUP BY account_id, skeleton_hash
