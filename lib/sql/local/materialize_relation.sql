-- Local (DuckDB dialect): a shared relation (a Trino query with a `-- relation:` header, e.g.
-- ../frame_usage.sql) built once as a table; on Athena it is a WITH clause of each query instead.
CREATE OR REPLACE TEMP TABLE {{relation}} AS
{{query}}
