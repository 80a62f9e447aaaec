-- Local (DuckDB dialect): the accounts relation with one row per account_id. Of the rows that share
-- an account_id the first wins, in the order the reader met them (files in name order, lines in
-- file order; the engine reads the small accounts table with insertion order preserved, so rowid
-- is that order). A duplicate reaching the detectors would list an account twice in a cluster,
-- which scoring cannot take; a row without an account_id describes no account. Both are counted
-- (account_counts.sql).
CREATE OR REPLACE TEMP TABLE accounts_read AS
SELECT * FROM accounts;

CREATE OR REPLACE TEMP TABLE accounts_kept AS
SELECT * FROM accounts_read
WHERE account_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY rowid) = 1;

CREATE OR REPLACE TEMP VIEW accounts AS
SELECT * FROM accounts_kept;
