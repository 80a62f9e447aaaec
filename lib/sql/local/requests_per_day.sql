-- Local (DuckDB dialect): requests per dt partition in the window, to plan the feature stage's
-- chunks. Reads only the partition column: from Parquet, the files' row counts.
SELECT dt, count(*) AS n
FROM requests
WHERE dt BETWEEN ? AND ?
GROUP BY dt
ORDER BY dt
