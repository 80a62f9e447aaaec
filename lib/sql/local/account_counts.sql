-- Local (DuckDB dialect): what accounts_first_wins.sql kept and set aside.
SELECT
  (SELECT count(*) FROM accounts_kept) AS accepted,
  (SELECT count(*) FROM accounts_read WHERE account_id IS NULL) AS missing,
  (SELECT count(*) FROM accounts_read WHERE account_id IS NOT NULL)
    - (SELECT count(*) FROM accounts_kept) AS duplicates
