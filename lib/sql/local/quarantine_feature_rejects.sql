-- Local quarantine (DuckDB dialect): the feature stage's verdict on each re-read record, by file and
-- line: features.sql (its final projection extended by the engine with source_file and line_number,
-- reading quarantine_requests), then the duplicate rule the feature store applies. The re-read
-- holds every file of each day with feature-stage rejects, so the rule ranks the same rows; of
-- duplicates tied on time and account, which one is kept is arbitrary here as there.
CREATE OR REPLACE TEMP TABLE quarantine_feature_rejects AS
SELECT source_file, line_number, reject_reason AS reason
FROM (
  SELECT source_file, line_number, {{reject_reason}} AS reject_reason
  FROM (
{{features}}
  ) features
) ranked
WHERE reject_reason IS NOT NULL;
