-- Local (DuckDB dialect): a shared relation (a Trino query with a `-- relation:` header, e.g.
-- ../frame_usage.sql) built once as a table; on Athena the audit writes it once with an UNLOAD
-- (lib/engine/athena/shared.ts).
CREATE OR REPLACE TEMP TABLE {{relation}} AS
{{query}}
