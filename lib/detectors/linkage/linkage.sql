-- query: detector_linkage
-- params: dt_start, dt_end, window_start, window_end, allow_accounts, allow_accounts, min_burst, burst_multiple, allow_user_agents, allow_skeletons, allow_accounts, allow_accounts, min_account_requests, min_account_share, max_accounts, max_account_trait_share, max_share, min_account_requests, min_account_share
-- uses: frame_usage
-- Trait memberships that can link accounts: (trait, value, account) for every value that at least
-- two active accounts use substantively and that is not a hub. Traits: user agent, prompt
-- skeleton, system prompt (from requests), payment fingerprint and sign-up burst (from the
-- accounts table, when present). Account-table traits also return dormant accounts (no request in
-- the window, account_requests NULL): the hydra heads held in reserve on the same card. Co-location on a client network is paired separately
-- (linkage_network.sql) because it needs the same hour, not just the same value.
-- A value counts as a hub, and links nobody, when more accounts touch it than an absolute cap or a
-- share of the active population: a popular SDK, a default system prompt, a generic one-line
-- prompt. A shared card or sign-up burst is the tell itself, so its share cap is looser and only
-- catches placeholders (an "unknown" fingerprint, a marketplace billing token). The rows that come
-- back are the few rare values worth a human's look.
WITH scoped AS (
  SELECT account_id, user_agent, system_hash, to_unixtime(ts) AS t
  FROM request_features
  WHERE dt BETWEEN ? AND ? AND hour_bucket >= ? AND hour_bucket < ? AND reject_reason IS NULL
    AND NOT contains(?, account_id)
),
active AS (
  SELECT account_id, count(*) AS requests, (max(t) - min(t)) / 3600e0 AS active_hours, min(t) AS first_t
  FROM scoped
  GROUP BY account_id
),
population AS (
  SELECT count(*) AS accounts FROM active
),
signups AS (
  SELECT
    acc.account_id,
    CAST(date_trunc('day', acc.created_at) AS date) AS signup_day,
    upper(acc.signup_country) AS signup_country,
    lower(acc.email_domain) AS email_domain,
    coalesce(lower(acc.account_type), 'unknown') AS account_type
  FROM accounts acc
  WHERE acc.created_at IS NOT NULL AND acc.signup_country IS NOT NULL AND acc.email_domain IS NOT NULL
    AND NOT contains(?, acc.account_id)
),
signup_days AS (
  SELECT signup_day, signup_country, email_domain, account_type, count(*) AS accounts
  FROM signups
  GROUP BY signup_day, signup_country, email_domain, account_type
),
-- The usual daily count of the same (country, domain, type) on the other sign-up days: a burst
-- stands out against its own baseline, so a popular webmail domain's steady trickle is no burst.
signup_baseline AS (
  SELECT signup_country, email_domain, account_type, sum(accounts) AS accounts
  FROM signup_days
  GROUP BY signup_country, email_domain, account_type
),
signup_span AS (
  SELECT greatest(count(DISTINCT signup_day), 2) AS days, count(*) AS signups FROM signups
),
-- Every sign-up of each day, to weigh a burst against the day's own base rate: on a day when many
-- people sign up, more of them share the most common traits by chance.
signup_totals AS (
  SELECT signup_day, count(*) AS accounts FROM signups GROUP BY signup_day
),
-- How many (combination, day) cells could have shown a burst by chance: the code turns the burst's
-- Poisson tail into the number of such bursts expected anywhere in the accounts table.
signup_cells AS (
  SELECT count(*) * max(s.days) AS cells
  FROM signup_baseline
  CROSS JOIN signup_span s
),
bursts AS (
  SELECT
    d.signup_day, d.signup_country, d.email_domain, d.account_type, d.accounts AS burst_size,
    -- the larger of two base rates, both without the burst itself: the combination's usual daily
    -- sign-ups, and its share of all sign-ups applied to the day's other sign-ups; plus one
    -- account of prior, so a combination never seen before is not infinitely surprising
    greatest(
      CAST(b.accounts - d.accounts + 1 AS double) / (s.days - 1),
      CAST((tot.accounts - d.accounts) * (b.accounts - d.accounts + 1) AS double)
        / greatest(s.signups - d.accounts, 1)
    ) AS burst_expected,
    c.cells AS burst_cells
  FROM signup_days d
  JOIN signup_baseline b
    ON b.signup_country = d.signup_country AND b.email_domain = d.email_domain
   AND b.account_type = d.account_type
  JOIN signup_totals tot ON tot.signup_day = d.signup_day
  CROSS JOIN signup_span s
  CROSS JOIN signup_cells c
  WHERE d.accounts >= ?
    AND d.accounts >= ? * greatest(1e0, CAST(b.accounts - d.accounts AS double) / (s.days - 1))
),
usage AS (
  SELECT
    'user_agent' AS trait, user_agent AS value, account_id, count(*) AS requests,
    CAST(NULL AS bigint) AS fills, CAST(NULL AS bigint) AS burst_size, CAST(NULL AS double) AS burst_expected,
    CAST(NULL AS bigint) AS burst_cells
  FROM scoped
  WHERE user_agent IS NOT NULL AND user_agent <> '' AND NOT contains(?, user_agent)
  GROUP BY user_agent, account_id
  UNION ALL
  -- requests and distinct prompts per (account, skeleton): the shared frame_usage relation
  SELECT
    'skeleton', CAST(skeleton_hash AS varchar), account_id, requests, fills, CAST(NULL AS bigint),
    CAST(NULL AS double), CAST(NULL AS bigint)
  FROM frame_usage
  WHERE skeleton_hash IS NOT NULL AND NOT contains(?, CAST(skeleton_hash AS varchar))
    AND NOT contains(?, account_id)
  UNION ALL
  SELECT
    'system_prompt', CAST(system_hash AS varchar), account_id, count(*), CAST(NULL AS bigint),
    CAST(NULL AS bigint), CAST(NULL AS double), CAST(NULL AS bigint)
  FROM scoped
  WHERE system_hash IS NOT NULL
  GROUP BY system_hash, account_id
  UNION ALL
  SELECT
    'payment_fingerprint', acc.payment_fingerprint, acc.account_id, coalesce(a.requests, 0),
    CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS double), CAST(NULL AS bigint)
  FROM accounts acc
  LEFT JOIN active a ON a.account_id = acc.account_id
  WHERE acc.payment_fingerprint IS NOT NULL AND acc.payment_fingerprint <> ''
    AND NOT contains(?, acc.account_id)
  UNION ALL
  SELECT
    'signup_burst',
    CAST(s.signup_day AS varchar) || ' ' || s.signup_country || ' ' || s.email_domain || ' ' || s.account_type,
    s.account_id,
    coalesce(a.requests, 0),
    CAST(NULL AS bigint),
    b.burst_size,
    b.burst_expected,
    b.burst_cells
  FROM signups s
  JOIN bursts b
    ON b.signup_day = s.signup_day AND b.signup_country = s.signup_country
   AND b.email_domain = s.email_domain AND b.account_type = s.account_type
  LEFT JOIN active a ON a.account_id = s.account_id
),
-- Hub test on the accounts that touch the value (all of them against the absolute cap, the active
-- ones against the share of the active population); links only from
-- active accounts that really use it (a floor of requests and of the account's own traffic), so
-- one stray request links nobody.
per_value AS (
  SELECT
    u.trait,
    u.value,
    count(*) AS touching_accounts,
    count(a.account_id) AS active_touching_accounts,
    sum(CASE WHEN u.requests >= ? AND CAST(u.requests AS double) / a.requests >= ? THEN 1 ELSE 0 END)
      AS using_accounts
  FROM usage u
  LEFT JOIN active a ON a.account_id = u.account_id
  GROUP BY u.trait, u.value
),
linking AS (
  SELECT v.trait, v.value, v.active_touching_accounts
  FROM per_value v
  CROSS JOIN population p
  WHERE v.using_accounts >= 2
    AND v.touching_accounts <= ?
    AND CAST(v.active_touching_accounts AS double) / p.accounts
      <= CASE WHEN v.trait IN ('payment_fingerprint', 'signup_burst') THEN ? ELSE ? END
),
-- Each active account's age at its first request in the window, in days (NULL without a sign-up time).
ages AS (
  SELECT a.account_id, (a.first_t - to_unixtime(acc.created_at)) / 86400e0 AS age_days
  FROM active a
  JOIN accounts acc ON acc.account_id = a.account_id
  WHERE acc.created_at IS NOT NULL
),
-- Per account, its requests on the shared templates (skeletons) that link: a dataset-fed account
-- puts nearly all of its traffic on such frames, a person spreads theirs over openings of their own.
templated AS (
  SELECT u.account_id, sum(u.requests) AS requests
  FROM usage u
  JOIN linking l ON l.trait = u.trait AND l.value = u.value
  WHERE u.trait = 'skeleton'
  GROUP BY u.account_id
)
SELECT
  u.trait,
  u.value,
  u.account_id,
  u.requests,
  a.requests AS account_requests,
  l.active_touching_accounts AS value_accounts,
  p.accounts AS population_accounts,
  u.fills,
  a.active_hours AS account_active_hours,
  coalesce(tp.requests, 0) AS account_templated_requests,
  ag.age_days AS account_age_days,
  u.burst_size,
  u.burst_expected,
  u.burst_cells
FROM usage u
JOIN linking l ON l.trait = u.trait AND l.value = u.value
LEFT JOIN active a ON a.account_id = u.account_id
LEFT JOIN templated tp ON tp.account_id = u.account_id
LEFT JOIN ages ag ON ag.account_id = u.account_id
CROSS JOIN population p
WHERE a.account_id IS NULL
   OR (u.requests >= ? AND CAST(u.requests AS double) / a.requests >= ?)
