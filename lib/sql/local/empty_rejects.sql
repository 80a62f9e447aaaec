-- Local reader (DuckDB dialect): the rejects table of a relation whose reader sets no line aside
-- (Parquet, or no input), so quarantine and data-quality read the same relations for every format.
CREATE OR REPLACE TEMP TABLE {{relation}}_rejects (source_file VARCHAR, reason VARCHAR, line VARCHAR);
