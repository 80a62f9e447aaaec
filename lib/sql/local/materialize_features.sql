-- Local feature stage (DuckDB dialect): the Trino query in ../features.sql, materialised once per
-- audit; every detector then reads this compact table instead of prompt text.
CREATE OR REPLACE TEMP TABLE request_features AS
{{features}}
