-- Local reader (DuckDB dialect): the parsed JSON Lines records, dropped once their features are
-- built. Every later query reads the features and the rejects table; dropping the view too makes a
-- stray read of the raw relation fail loudly instead of seeing only the last chunk of days.
DROP VIEW IF EXISTS {{relation}};
DROP TABLE IF EXISTS {{relation}}_rows;
