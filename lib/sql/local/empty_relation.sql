-- Local reader (DuckDB dialect): an empty, typed relation (a view, like the relations of files) for an optional input that is absent, so
-- queries still bind; the pipeline reports the absence as a coverage gap.
CREATE OR REPLACE TEMP VIEW {{relation}} AS
SELECT {{typed_columns}} {{partition_null}}
WHERE false;
