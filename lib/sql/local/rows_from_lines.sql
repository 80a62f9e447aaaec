-- Local reader, step 2 (DuckDB dialect): parse each line once into JSON values, check each field's
-- JSON type against the schema, and keep typed values beside the reason a line is rejected. Only
-- rejected lines keep their raw text (for the quarantine), and the raw lines are dropped once
-- parsed, so the reader holds each record once.
-- {{...}} fragments are derived from lib/schema/log-schema.ts, never from input.
CREATE OR REPLACE TEMP TABLE {{relation}}_rows AS
WITH parsed AS (
  SELECT *,
    CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' THEN from_json(line, '{{raw_structure}}') END AS raw
  FROM {{relation}}_lines
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

DROP TABLE {{relation}}_lines;

CREATE OR REPLACE TEMP TABLE {{relation}}_rejects AS
SELECT source_file, reader_reject AS reason, line
FROM {{relation}}_rows
WHERE reader_reject IS NOT NULL;

CREATE OR REPLACE TEMP VIEW {{relation}} AS
SELECT {{column_names}} {{partition_column}}
FROM {{relation}}_rows
WHERE reader_reject IS NULL;
