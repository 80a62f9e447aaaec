-- Local quarantine for Parquet (DuckDB dialect): every request record set aside, with its reason.
-- Reader rejects keep the row as JSON and its file; records the feature stage set aside are still
-- re-serialised from their typed features, without file or row number (the JSON Lines quarantine,
-- quarantine.sql, re-reads the original lines; Parquet does not yet).
COPY (
  SELECT source_file, reason, line FROM requests_rejects
  UNION ALL
  SELECT NULL AS source_file, f.reject_reason AS reason, CAST(to_json(f) AS VARCHAR) AS line
  FROM request_features f
  WHERE f.reject_reason IS NOT NULL
) TO '{{path}}' (FORMAT json);
