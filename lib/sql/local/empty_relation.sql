-- Local reader (DuckDB dialect): an empty, typed relation for an optional input that is absent, so
-- queries still bind; the pipeline reports the absence as a coverage gap.
CREATE OR REPLACE TEMP TABLE {{relation}} AS
SELECT {{typed_columns}} {{partition_null}}
WHERE false;
