-- query: frame_usage
-- params: dt_start, dt_end, window_start, window_end
-- relation: frame_usage
-- Shared by the template detectors, the harvest slice, linkage, dataset shape and reasoning: per
-- (account, frame) of the window, its requests and its fills (distinct prompts), and how many of
-- those fills ask for reasoning, a reconstruction, a grading or a rewrite. A frame is the skeleton
-- hash, the template's opening (lib/sql/features.sql). The skeleton and the cues are functions of
-- the prompt, so a prompt has one frame and one set of cues: summed over its frames, an account's
-- fills are its distinct prompts. Distinct prompts are counted in two steps (uses per prompt, then
-- prompts per frame), which is cheaper than count(DISTINCT). Allowlists are applied by each
-- reader: this relation holds every account and frame.
SELECT
  account_id,
  skeleton_hash,
  sum(uses) AS requests,
  count(*) AS fills,
  count_if(asks_reasoning) AS reasoning_fills,
  count_if(asks_reconstruction) AS reconstruction_fills,
  count_if(asks_grading) AS grading_fills,
  count_if(asks_rewrite) AS rewrite_fills
FROM (
  SELECT
    account_id,
    skeleton_hash,
    prompt_hash,
    count(*) AS uses,
    bool_or(asks_reasoning) AS asks_reasoning,
    bool_or(asks_reconstruction) AS asks_reconstruction,
    bool_or(asks_grading) AS asks_grading,
    bool_or(asks_rewrite) AS asks_rewrite
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  GROUP BY account_id, skeleton_hash, prompt_hash
) prompt_uses
GROUP BY account_id, skeleton_hash
