-- Local reader (DuckDB dialect) for JSON Lines, in one pass: every non-blank line is read as text
-- (the NUL delimiter, chr(0), cannot occur in a JSON text, so each physical line is one value; the
-- literal '\0' would be a backslash and a zero, and cut every line whose JSON escapes a NUL), parsed once
-- into JSON values, and each field's JSON type checked against the schema; typed values are kept
-- beside the reason a line is rejected. Only rejected lines keep their raw text (for the
-- quarantine), so the reader holds each record once and a malformed line is counted and
-- quarantined, never silently dropped. A line the CSV scanner itself cannot take (invalid UTF-8,
-- longer than 16 MiB) is stored by DuckDB in a rejects table (store_rejects) instead of failing the
-- file, and set aside as one record. Rejected lines are appended to the relation's rejects table,
-- which outlives the chunks of days the requests are read in.
-- {{...}} fragments are derived from lib/schema/log-schema.ts and code, never from input.
CREATE OR REPLACE TEMP TABLE {{relation}}_rows AS
WITH lines AS (
  SELECT filename AS source_file, {{partition_select}}line
  FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = chr(0), quote = '', escape = '',
    auto_detect = false, strict_mode = false, filename = true, hive_partitioning = {{hive}},
    max_line_size = 16777216, buffer_size = 33554432, store_rejects = true,
    rejects_table = '{{relation}}_scan_errors', rejects_scan = '{{relation}}_scans')
  WHERE line IS NOT NULL AND trim(line) <> ''
),
parsed AS (
  SELECT *,
    CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' THEN from_json(line, '{{raw_structure}}') END AS raw
  FROM lines
),
checked AS (
  SELECT *,
    CASE WHEN raw IS NULL THEN 'malformed_json' ELSE coalesce({{type_checks}}) END AS reader_reject
  FROM parsed
)
SELECT source_file {{partition_column}}, reader_reject,
  CASE WHEN reader_reject IS NOT NULL THEN line END AS line,
  {{typed_columns}}
FROM checked;

INSERT INTO {{relation}}_rejects
SELECT source_file, reader_reject AS reason, line
FROM {{relation}}_rows
WHERE reader_reject IS NOT NULL;

-- DuckDB keeps at most the first 10,000 characters of such a line, which bounds the quarantine.
INSERT INTO {{relation}}_rejects
SELECT s.file_path AS source_file,
  CASE e.error_type
    WHEN 'INVALID ENCODING' THEN 'invalid_utf8'
    WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line_too_long'
    ELSE 'unreadable_line'
  END AS reason,
  e.csv_line AS line
FROM {{relation}}_scan_errors e
JOIN {{relation}}_scans s USING (scan_id, file_id);

-- The rejects tables accumulate over reads; each read takes its own errors only once.
DELETE FROM {{relation}}_scan_errors;
DELETE FROM {{relation}}_scans;

CREATE OR REPLACE TEMP VIEW {{relation}} AS
SELECT {{column_names}} {{partition_column}}
FROM {{relation}}_rows
WHERE reader_reject IS NULL;
