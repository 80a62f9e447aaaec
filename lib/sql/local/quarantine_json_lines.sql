-- Local quarantine for JSON Lines (DuckDB dialect): the lines of the files that hold rejected
-- records, re-read by the engine with their file and line number (quarantine_lines), checked as
-- read_json_lines.sql checks them. The audit itself keeps no raw text of accepted lines and no line
-- numbers (DuckDB's CSV scanner numbers none, and counts "\r\n" as two breaks); re-reading only
-- these files costs nothing when --quarantine is not given. A line the engine could not decode
-- arrives with its scan_reject (invalid_utf8, line_too_long).
-- {{...}} fragments are derived from lib/schema/log-schema.ts, never from input.
CREATE OR REPLACE TEMP TABLE quarantine_rows AS
WITH parsed AS (
  SELECT *,
    CASE WHEN scan_reject IS NULL AND json_valid(line) AND json_type(line) = 'OBJECT'
      THEN from_json(line, '{{raw_structure}}') END AS raw
  FROM quarantine_lines
),
checked AS (
  SELECT *,
    CASE
      WHEN scan_reject IS NOT NULL THEN scan_reject
      WHEN raw IS NULL THEN 'malformed_json'
      ELSE coalesce({{type_checks}})
    END AS reader_reject
  FROM parsed
)
SELECT source_file, line_number, line, dt, reader_reject,
  {{typed_columns}}
FROM checked;

-- What features.sql reads in place of `requests`, with the line's identity beside the fields.
CREATE OR REPLACE TEMP VIEW quarantine_requests AS
SELECT source_file, line_number, {{column_names}}, dt
FROM quarantine_rows
WHERE reader_reject IS NULL;
