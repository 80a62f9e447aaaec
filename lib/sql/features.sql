-- query: features
-- params: dt_start, dt_end
--
-- The feature stage: the only query that reads prompt text. It turns raw requests into the compact
-- `request_features` relation every detector reads (locally a table built once per audit, on AWS
-- Parquet partitions written by the compaction job).
--
-- Cost is dominated by regular expressions over prompt text, so each prompt is scanned by exactly
-- two expressions, both over a part of its ends: a template's instructions sit at its ends while
-- the middle carries the dataset payload.
--   1. one case-insensitive pattern over the "ends" (first 224 and last 96 characters) extracts
--      every cue phrase (reasoning, answer supplied, rubric, rewrite, capability); the short list
--      of cues is then classified cheaply. The pattern has no capturing group: RE2 then finds the
--      matches with its DFA alone, which halves the cost of the extraction;
--   2. one masking pass over the first 96 characters replaces numbers, quoted spans, code, URLs,
--      names and whitespace runs with '#' and folds case: the skeleton. Its hash is taken over the
--      first 48 characters, the template's opening frame, which the filled-in payload rarely
--      reaches; the first 80 are kept as a redacted excerpt for evidence.
-- Values the detectors only count or group (the prompt, the system prompt, the conversation id)
-- are kept as 64-bit hashes: every later scan reads 8 bytes instead of the text.
-- Rows that break the schema are kept with a reject_reason so data quality is counted in the same
-- pass; detectors read only rows whose reject_reason is NULL. Every row of the scanned partitions
-- is kept, whatever its time: detectors select the window on hour_bucket, data quality counts the
-- valid rows outside it (`outside_window`), and a row whose time is not its partition's day is
-- rejected (`ts_outside_partition`), where a filter on ts would drop it from every count. Duplicate request ids are ranked
-- not here but as each engine writes its feature store (DUPLICATE_REJECT_REASON in
-- lib/engine/port.ts): a window over every compact row would be a fifth to a third of this query's
-- time locally (1M to 4M requests), where only the few ids that repeat need ranking.
WITH scoped AS (
  SELECT
    r.*,
    CASE
      WHEN length(r.prompt) <= 320 THEN r.prompt
      ELSE substr(r.prompt, 1, 224) || ' ' || substr(r.prompt, -96)
    END AS prompt_ends
  FROM requests r
  WHERE r.dt BETWEEN ? AND ?
),
cued AS (
  SELECT
    s.*,
    lower(array_join(regexp_extract_all(s.prompt_ends,
      '(?i)(?:step[ -]by[ -]step|think (?:carefully|it through|through)|show (?:your|all) (?:work|reasoning|steps)|chain[ -]of[ -]thought|explain your reasoning|reason(?:ing)? step|walk me through|paso a paso|razonamiento|étape par étape|raisonnement|schritt für schritt|denkweise|一步一步|逐步|推理过程|ステップバイステップ|段階的に|passo a passo|raciocínio'
      || '|final answer is|correct answer is|given (?:the|this) (?:final )?answer|reconstruct|leads? to (?:this|the) answer|respuesta final|réponse finale|endgültige antwort|最终答案|最終的な答え|resposta final'
      || '|rubric|grade (?:the|this|following)|score (?:the|this|each) (?:response|answer)|on a scale (?:of|from) 1|evaluate the (?:quality|response)|rúbrica|grille d''évaluation|bewertungsschema|评分标准|採点基準'
      || '|rewrite (?:this|the|following)|rephrase|make (?:it|this) (?:safer|harmless|more helpful)|(?:safe|harmless) version|reescribe|réécris|umschreiben|改写|書き直'
      || '|autonomous agent|you are an agent|next action|tool call|function call|call the (?:tool|function)|available tools|repository|run the tests|pull request|terminal command|shell command|<tool'
      || '|```|def [a-z_]+\(|function [a-z_]+\(|class [a-z_]+|python|javascript|typescript|golang|rust code|java code|stack trace|compile|refactor|unit test|regex|sql query|código|代码|コード'
      || '|dataset|csv|dataframe|pandas|regression|statistic|correlation|spreadsheet|pivot table'
      || '|prove that|theorem|equation|integral|derivative|solve for|probability|lemma|matrix'
      || '|essay|poem|short story|blog post|cover letter|write an email|summari[sz]e|translate|tweet)'),
      '|')) AS cues,
    lower(regexp_replace(substr(s.prompt, 1, 96),
      '(https?://[^ ]+|```[^`]*```|"[^"]*"|“[^”]*”|«[^»]*»|[0-9]+(?:[.,:/-][0-9]+)*|[a-z,;] [A-Z][a-z]+|\s{2,}|[\t\n\r])',
      '#')) AS skeleton
  FROM scoped s
),
-- Most prompts carry no cue at all: the empty-string test spares them every classification.
flagged AS (
  SELECT
    c.*,
    c.cues <> '' AND regexp_like(c.cues, 'step|think|show|chain|explain your|reason|walk me|paso|étape|schritt|denkweise|一步|逐步|推理|ステップ|段階|passo|racioc') AS asks_reasoning,
    c.cues <> '' AND regexp_like(c.cues, 'answer is|given|reconstruct|leads|lead to|respuesta|réponse|antwort|答案|答え|resposta') AS supplies_answer,
    c.cues <> '' AND regexp_like(c.cues, 'rubric|grade|score|scale|evaluate|rúbrica|grille|bewertung|评分|採点') AS asks_grading,
    c.cues <> '' AND regexp_like(c.cues, 'rewrite|rephrase|safer|harmless|more helpful|safe version|reescribe|réécris|umschreiben|改写|書き直') AS asks_rewrite,
    c.cues <> '' AND regexp_like(c.cues, 'agent|next action|tool call|function call|call the|available tools|repository|run the tests|pull request|terminal|shell|<tool') AS agentic_cue,
    c.cues <> '' AND regexp_like(c.cues, '```|def |function |class |python|javascript|typescript|golang|rust|java|stack|compile|refactor|unit test|regex|sql|código|代码|コード') AS coding_cue,
    c.cues <> '' AND regexp_like(c.cues, 'dataset|csv|dataframe|pandas|regression|statistic|correlation|spreadsheet|pivot') AS data_cue,
    c.cues <> '' AND regexp_like(c.cues, 'prove|theorem|equation|integral|derivative|solve for|probability|lemma|matrix') AS math_cue,
    c.cues <> '' AND regexp_like(c.cues, 'essay|poem|story|blog|cover letter|email|summari|translate|tweet') AS writing_cue
  FROM cued c
)
SELECT
  f.dt,
  f.request_id,
  f.ts,
  date_trunc('hour', f.ts) AS hour_bucket,
  f.account_id,
  f.api_key_id,
  f.model,
  f.input_tokens,
  f.output_tokens,
  f.max_tokens,
  f.temperature,
  coalesce(f.thinking_budget, 0) AS thinking_budget,
  f.tools,
  f.turns,
  CASE WHEN f.conversation_id IS NULL THEN NULL ELSE from_big_endian_64(xxhash64(to_utf8(f.conversation_id))) END AS conversation_hash,
  f.status,
  f.source_country,
  f.source_asn,
  f.user_agent,
  CASE
    WHEN f.source_ip IS NULL THEN NULL
    WHEN strpos(f.source_ip, ':') > 0 THEN
      coalesce(nullif(split_part(f.source_ip, ':', 1), ''), '0') || ':'
      || coalesce(nullif(split_part(f.source_ip, ':', 2), ''), '0') || ':'
      || coalesce(nullif(split_part(f.source_ip, ':', 3), ''), '0') || '::/48'
    -- no match is NULL in Trino but '' in DuckDB: nullif makes a malformed address no network in both
    ELSE nullif(regexp_extract(f.source_ip, '^([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\.[0-9]{1,3}$', 1), '') || '.0/24'
  END AS client_network,
  length(f.prompt) AS prompt_chars,
  from_big_endian_64(xxhash64(to_utf8(f.prompt))) AS prompt_hash,
  from_big_endian_64(xxhash64(to_utf8(substr(f.skeleton, 1, 48)))) AS skeleton_hash,
  substr(f.skeleton, 1, 80) AS skeleton_excerpt,
  CASE WHEN f.system_prompt IS NULL THEN NULL ELSE from_big_endian_64(xxhash64(to_utf8(f.system_prompt))) END AS system_hash,
  f.asks_reasoning,
  (f.asks_reasoning AND f.supplies_answer) OR strpos(f.cues, 'reconstruct') > 0 AS asks_reconstruction,
  f.asks_grading,
  f.asks_rewrite,
  CASE
    WHEN f.agentic_cue OR (coalesce(f.tools, 0) > 0 AND f.coding_cue) THEN 'agentic'
    WHEN coalesce(f.tools, 0) > 0 THEN 'tool_use'
    WHEN f.coding_cue THEN 'coding'
    WHEN f.data_cue THEN 'data_analysis'
    WHEN f.math_cue THEN 'math'
    WHEN f.writing_cue THEN 'writing'
    ELSE 'other'
  END AS capability,
  coalesce(f.turns, 1) <= 1 AS single_turn,
  CASE
    WHEN f.request_id IS NULL THEN 'missing_request_id'
    WHEN f.ts IS NULL THEN 'missing_ts'
    WHEN CAST(CAST(f.ts AS DATE) AS VARCHAR) <> f.dt THEN 'ts_outside_partition'
    WHEN f.account_id IS NULL THEN 'missing_account_id'
    WHEN f.model IS NULL THEN 'missing_model'
    WHEN f.prompt IS NULL THEN 'missing_prompt'
    WHEN f.input_tokens IS NULL THEN 'missing_input_tokens'
    WHEN f.output_tokens IS NULL THEN 'missing_output_tokens'
    WHEN f.input_tokens < 0 OR f.output_tokens < 0 OR f.max_tokens < 0 THEN 'negative_tokens'
  END AS reject_reason
FROM flagged f
