-- Local reader for Parquet (DuckDB dialect): a view with pinned column types, read in place. Files
-- are grouped by their column types (usually one group): each group's columns are cast to the
-- schema or, when of the wrong type, read as NULL with the row set aside by reason (the rejects
-- table gets those rows, see parquet_rejects.sql). Columns that no file has read as typed NULLs.
-- {{...}} fragments are derived from lib/schema/log-schema.ts and the files' types; {{files}} is
-- the quoted list of the group's files (a view cannot take a bound parameter).
SELECT {{typed_columns}} {{partition_column}}
FROM read_parquet({{files}}, union_by_name = true, hive_partitioning = {{hive}})
WHERE ({{reject}}) IS NULL
