-- Local reader, step 1 (DuckDB dialect): every non-blank line of the JSON Lines files, kept as
-- text so that a malformed line can be counted and quarantined, never silently dropped.
-- The NUL delimiter cannot occur in a JSON text, so each physical line is one value.
-- {{...}} fragments come from code, never from input.
CREATE OR REPLACE TEMP TABLE {{relation}}_lines AS
SELECT filename AS source_file, {{partition_select}}line
FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = '\0', quote = '', escape = '',
  auto_detect = false, strict_mode = false, filename = true, hive_partitioning = {{hive}},
  max_line_size = 16777216)
WHERE line IS NOT NULL AND trim(line) <> '';
