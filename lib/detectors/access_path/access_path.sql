-- query: detector_access_path
-- params: hosting_asns, dt_start, dt_end, window_start, window_end, min_requests
-- How each account reaches the API against what it said when it signed up: its account type, the
-- share of its requests from hosting-provider networks (servers, VPSs, cloud proxies), the share
-- of its other requests from a country other than its sign-up country, and how old the account was at its first
-- request in the window. One row per account with enough requests and an accounts record.
WITH scoped AS (
  SELECT
    f.account_id,
    f.ts,
    f.source_asn,
    f.source_country,
    contains(?, CAST(f.source_asn AS varchar)) AS from_hosting,
    acc.signup_country,
    acc.created_at,
    lower(acc.account_type) AS account_type
  FROM request_features f
  JOIN accounts acc ON acc.account_id = f.account_id
  WHERE f.dt BETWEEN ? AND ? AND f.hour_bucket >= ? AND f.hour_bucket < ? AND f.reject_reason IS NULL
)
SELECT
  account_id,
  arbitrary(account_type) AS account_type,
  arbitrary(signup_country) AS signup_country,
  count(*) AS requests,
  count(source_asn) AS asn_requests,
  sum(CASE WHEN from_hosting THEN 1 ELSE 0 END) AS hosting_requests,
  -- Geography only from non-hosting networks: a server's cloud region says nothing about where
  -- its owner is, a residential or mobile address abroad does.
  sum(CASE WHEN source_country IS NOT NULL AND NOT coalesce(from_hosting, false) THEN 1 ELSE 0 END)
    AS country_requests,
  sum(CASE WHEN upper(source_country) <> upper(signup_country) AND NOT coalesce(from_hosting, false)
    THEN 1 ELSE 0 END) AS foreign_requests,
  count(DISTINCT CASE WHEN upper(source_country) <> upper(signup_country) AND NOT coalesce(from_hosting, false)
    THEN source_country END) AS countries,
  (to_unixtime(min(ts)) - to_unixtime(arbitrary(created_at))) / 86400e0 AS age_days
FROM scoped
GROUP BY account_id
HAVING count(*) >= ?
