-- Local reader for Parquet (DuckDB dialect): the rows of one group of files (see
-- view_from_parquet.sql) that break the schema, with their reason and the record as JSON, appended
-- to the relation's rejects table for data quality and the quarantine.
INSERT INTO {{relation}}_rejects
SELECT filename AS source_file, reason, CAST(to_json(p) AS VARCHAR) AS line
FROM (
  SELECT *, {{reject}} AS reason
  FROM read_parquet({{files}}, union_by_name = true, hive_partitioning = {{hive}}, filename = true)
) p
WHERE reason IS NOT NULL
