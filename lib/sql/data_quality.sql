-- query: data_quality
-- params: window_start, window_end, dt_start, dt_end
-- Counts what the feature stage set aside, by reason, and how much of the accepted traffic carries
-- each optional field (a detector whose fields are absent reports that it could not run). Valid
-- records of the scanned partitions that lie outside the window are counted as `outside_window`:
-- not audited, but not lost from the count either (a window that starts or ends inside a day).
WITH outcomes AS (
  SELECT
    *,
    CASE
      WHEN reject_reason IS NOT NULL THEN reject_reason
      WHEN hour_bucket >= ? AND hour_bucket < ? THEN 'accepted'
      ELSE 'outside_window'
    END AS outcome
  FROM request_features
  WHERE dt BETWEEN ? AND ?
)
SELECT
  outcome,
  count(*) AS requests,
  count(api_key_id) AS with_api_key_id,
  count(client_network) AS with_source_ip,
  count(source_asn) AS with_source_asn,
  count(source_country) AS with_source_country,
  count(user_agent) AS with_user_agent,
  count(max_tokens) AS with_max_tokens,
  count(temperature) AS with_temperature,
  count(tools) AS with_tools,
  count(turns) AS with_turns,
  count(conversation_hash) AS with_conversation_id,
  count(system_hash) AS with_system_prompt,
  count(status) AS with_status
FROM outcomes
GROUP BY outcome
