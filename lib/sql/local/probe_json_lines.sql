-- Local reader (DuckDB dialect): reads one JSON Lines file alone, with the options of
-- read_json_lines.sql, to tell which file of a failed read cannot be read.
SELECT count(*)
FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = chr(0), quote = '', escape = '',
  auto_detect = false, strict_mode = false, max_line_size = 16777216, store_rejects = true,
  rejects_table = 'probe_scan_errors', rejects_scan = 'probe_scans');

DROP TABLE IF EXISTS probe_scan_errors;
DROP TABLE IF EXISTS probe_scans;
