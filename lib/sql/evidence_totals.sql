-- query: evidence_totals
-- params: dt_start, dt_end, window_start, window_end, accounts
-- Per-account totals for the accounts that have a finding: volume, tokens, first and last seen,
-- and the earliest request ids as samples an analyst can look up.
SELECT
  account_id,
  count(*) AS requests,
  sum(input_tokens) AS input_tokens,
  sum(output_tokens) AS output_tokens,
  min(ts) AS first_seen,
  max(ts) AS last_seen,
  min_by(request_id, ts, 20) AS sample_request_ids
FROM request_features
WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
  AND account_id IN (SELECT subject FROM UNNEST(?) AS subjects(subject))
GROUP BY account_id
