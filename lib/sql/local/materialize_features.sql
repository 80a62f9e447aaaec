-- Local feature stage (DuckDB dialect): the Trino query in ../features.sql over a chunk of whole
-- days, appended to the compact feature store (attach_feature_store.sql). Every detector then
-- reads this compact table, never prompt text. {{order}} sorts the chunk when the store is
-- compressed (a window built in chunks): sorted rows compress into runs and the detectors'
-- per-account work reads them in order. An uncompressed store is left unsorted, because there the
-- sort costs more than it saves (4M requests: the feature stage 3.5 s slower, the detectors 2.2 s
-- faster).
INSERT INTO feature_store.request_features
SELECT * FROM (
{{features}}
) features
{{order}}
