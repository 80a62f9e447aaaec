-- query: detector_template_spread
-- params: allowlisted_skeletons, min_fills, min_accounts, common_share, log_common_over_rare, min_requests, min_fills, min_frame_share
-- uses: frame_usage
-- Prompt frames that many accounts share, weighted by rarity. A frame is the skeleton hash: the
-- opening 48 characters of the masked skeleton, where a template's instructions sit. An account uses a frame
-- when it sent at least min_fills DISTINCT prompts on it: a template fed with content, not a stock
-- phrase ("thanks!", "ok") repeated. A frame is spread when at least min_accounts accounts use it.
-- Its rarity is IDF-like, on the share of all active accounts that use it: 1 up to the rare share,
-- falling on a log scale to 0 at the common share (SDK defaults, a popular tool's prompt):
--   rarity = ln(common_share * accounts / users) / ln(common_share / rare_share), clamped to [0, 1].
-- Per account: its requests, its distinct prompts on spread frames that are its own templates (each
-- at least min_frame_share of its traffic: people spread a little traffic over many common
-- openings, a campaign account puts all of it on a few), the same weighted by rarity, and its most
-- weighted spread frame (hash) with the number of accounts using it.
-- Requests and fills per (account, frame) come from the shared frame_usage relation
-- (lib/sql/frame_usage.sql), which covers every account of the window.
WITH per_account AS (
  SELECT account_id, sum(requests) AS requests
  FROM frame_usage
  GROUP BY account_id
),
population AS (
  SELECT count(*) AS accounts FROM per_account
),
usage AS (
  SELECT account_id, skeleton_hash AS frame, requests, fills
  FROM frame_usage
  WHERE NOT contains(?, CAST(skeleton_hash AS varchar))
),
spread AS (
  SELECT frame, CAST(frame AS varchar) AS frame_hash, count(*) AS users
  FROM usage
  WHERE fills >= ?
  GROUP BY frame
  HAVING count(*) >= ?
),
rated AS (
  SELECT
    s.frame,
    s.frame_hash,
    s.users,
    greatest(0e0, least(1e0,
      CAST(ln(CAST(p.accounts * ? AS double) / s.users) AS double) / ?)) AS rarity
  FROM spread s
  CROSS JOIN population p
)
SELECT
  u.account_id,
  a.requests,
  p.accounts AS population_accounts,
  count(*) AS spread_frames,
  sum(u.fills) AS spread_fills,
  sum(u.fills * r.rarity) AS weighted_fills,
  -- ties broken by hash, so re-running a window names the same top frame
  max_by(r.frame_hash, ROW(u.fills * r.rarity, r.frame_hash)) AS top_frame,
  max_by(r.users, ROW(u.fills * r.rarity, r.frame_hash)) AS top_frame_accounts
FROM usage u
JOIN rated r ON r.frame = u.frame
JOIN per_account a ON a.account_id = u.account_id
CROSS JOIN population p
WHERE a.requests >= ? AND u.fills >= ? AND CAST(u.requests AS double) >= ? * a.requests AND r.rarity > 0
GROUP BY u.account_id, a.requests, p.accounts
