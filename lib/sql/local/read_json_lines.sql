-- Local reader (DuckDB dialect) for JSON Lines, in one pass: every non-blank line is read as text
-- (the NUL delimiter cannot occur in a JSON text, so each physical line is one value), parsed once
-- into JSON values, and each field's JSON type checked against the schema; typed values are kept
-- beside the reason a line is rejected. Only rejected lines keep their raw text (for the
-- quarantine), so the reader holds each record once and a malformed line is counted and
-- quarantined, never silently dropped. Rejected lines are appended to the relation's rejects table,
-- which outlives the chunks of days the requests are read in.
-- {{...}} fragments are derived from lib/schema/log-schema.ts and code, never from input.
CREATE OR REPLACE TEMP TABLE {{relation}}_rows AS
WITH lines AS (
  SELECT filename AS source_file, {{partition_select}}line
  FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = '\0', quote = '', escape = '',
    auto_detect = false, strict_mode = false, filename = true, hive_partitioning = {{hive}},
    max_line_size = 16777216, buffer_size = 33554432) -- 2 lines of buffer: the default (16 lines, 256 MiB) fails at --memory-limit 512MB
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

CREATE OR REPLACE TEMP VIEW {{relation}} AS
SELECT {{column_names}} {{partition_column}}
FROM {{relation}}_rows
WHERE reader_reject IS NULL;
