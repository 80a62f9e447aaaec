-- Local feature stage (DuckDB dialect): the Trino query in ../features.sql over a chunk of whole
-- days, appended to the compact feature store (attach_feature_store.sql). Every detector then
-- reads this compact table, never prompt text.
INSERT INTO feature_store.request_features
{{features}}
