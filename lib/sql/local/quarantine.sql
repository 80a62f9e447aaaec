-- Local quarantine (DuckDB dialect): every request record set aside, with its reason. Reader
-- rejects keep the raw line and its file; records the feature stage set aside (missing required
-- values, negative tokens, duplicate ids) are re-serialised from their typed features.
COPY (
  SELECT source_file, reason, line FROM requests_rejects
  UNION ALL
  SELECT NULL AS source_file, f.reject_reason AS reason, CAST(to_json(f) AS VARCHAR) AS line
  FROM request_features f
  WHERE f.reject_reason IS NOT NULL
) TO '{{path}}' (FORMAT json);
