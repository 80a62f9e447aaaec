-- Local quarantine (DuckDB dialect): every request record set aside, with its reason, its file
-- (relative to the log root), its line number (row number for Parquet) and the original record:
-- the line's text, or a Parquet row as JSON. quarantine_rows holds the re-read records of the
-- files with rejects, reader rejects among them; quarantine_feature_rejects the feature stage's
-- verdicts on the others (features.sql's reject_reason, then DUPLICATE_REJECT_REASON).
COPY (
  SELECT reason, source_file, line_number, line
  FROM (
    SELECT reader_reject AS reason, source_file, line_number, line
    FROM quarantine_rows
    WHERE reader_reject IS NOT NULL
    UNION ALL
    SELECT r.reason, q.source_file, q.line_number, q.line
    FROM quarantine_feature_rejects r
    JOIN quarantine_rows q USING (source_file, line_number)
  ) rejected
  ORDER BY source_file, line_number
) TO '{{path}}' (FORMAT json);
