-- DuckDB macros that give the Trino functions our queries use their Trino meaning, so the files in
-- lib/sql run unchanged on both engines. Hash values differ between engines (DuckDB's hash is not
-- xxhash64) but each engine is self-consistent, which is all the detectors need.
CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p);
-- Trino replaces every match; DuckDB only the first unless asked.
CREATE OR REPLACE TEMP MACRO regexp_replace(s, p, r) AS system.main.regexp_replace(s, p, r, 'g');
CREATE OR REPLACE TEMP MACRO to_utf8(s) AS s;
CREATE OR REPLACE TEMP MACRO xxhash64(s) AS hash(s);
CREATE OR REPLACE TEMP MACRO from_big_endian_64(h) AS CAST(h // 2 AS BIGINT);
CREATE OR REPLACE TEMP MACRO array_join(a, d) AS array_to_string(a, d);
CREATE OR REPLACE TEMP MACRO cardinality(a) AS len(a);
CREATE OR REPLACE TEMP MACRO approx_distinct(x) AS approx_count_distinct(x);
-- Exact (and so reproducible) where Athena is approximate: inputs here are per-account aggregates.
CREATE OR REPLACE TEMP MACRO approx_percentile(x, p) AS quantile_disc(x, p);
CREATE OR REPLACE TEMP MACRO to_unixtime(t) AS epoch(t);
CREATE OR REPLACE TEMP MACRO from_unixtime(s) AS make_timestamp(CAST(s * 1000000 AS BIGINT));
CREATE OR REPLACE TEMP MACRO json_extract_scalar(j, p) AS json_extract_string(j, p);
CREATE OR REPLACE TEMP MACRO day_of_week(t) AS isodow(t);
CREATE OR REPLACE TEMP MACRO date_add(unit, n, t) AS t + to_microseconds(CAST(
  n * CASE unit WHEN 'second' THEN 1000000 WHEN 'minute' THEN 60000000 WHEN 'hour' THEN 3600000000
  WHEN 'day' THEN 86400000000 END AS BIGINT));
-- Trino's element_at reads a map by key (NULL when absent) or an array by 1-based index; DuckDB's
-- returns a one-element list for maps. A subscript has Trino's meaning for both.
CREATE OR REPLACE TEMP MACRO element_at(c, k) AS c[k];
