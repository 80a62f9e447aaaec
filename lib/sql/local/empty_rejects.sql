-- Local reader (DuckDB dialect): a relation's rejects table, created empty before it is read. The
-- JSON Lines reader appends the lines it sets aside, chunk by chunk; Parquet sets none aside, and
-- quarantine and data quality still read the same relations for every format.
CREATE OR REPLACE TEMP TABLE {{relation}}_rejects (source_file VARCHAR, reason VARCHAR, line VARCHAR);
