-- Local reader for Parquet (DuckDB dialect): a view with pinned column types. Columns that no file
-- has read as typed NULLs. Parquet is typed, so the reader sets no line aside here.
-- {{...}} fragments are derived from lib/schema/log-schema.ts; {{files}} is the quoted list of
-- discovered file paths (a view cannot take a bound parameter).
CREATE OR REPLACE TEMP VIEW {{relation}} AS
SELECT {{typed_columns}} {{partition_column}}
FROM read_parquet({{files}}, union_by_name = true, hive_partitioning = {{hive}});
