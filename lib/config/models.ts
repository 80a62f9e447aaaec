/**
 * The model catalogue the auditor knows by default: output caps (to tell when a request maxes its
 * output), thinking-budget caps where the API takes a budget, and release dates (the model-pivot
 * detector measures who moved to a model in the 24 hours after its release). Each model is one
 * entry under its canonical API id; the other ids the same model is called by (undated aliases,
 * Amazon Bedrock ids, Bedrock cross-region inference profiles, Google Vertex AI ids) are its
 * `aliases`, so traffic sent through Bedrock and traffic sent to the provider's own API count as
 * one model. Users add models and override these in their config (lib/config/config.ts).
 *
 * A model missing from the catalogue is not blind: the audit infers its caps from the traffic (the
 * highest max_tokens and thinking budget requested for it in the window) and says so in the
 * report's data quality notes (lib/config/catalogue.ts).
 *
 * Sources (checked 2026): the providers' model pages (platform.claude.com model overviews,
 * developers.openai.com model pages, ai.google.dev thinking guide), corroborated by public model
 * tables (Vercel AI Gateway, OpenRouter). Entries whose figure could not be checked against one of
 * those say so beside it.
 */
export interface ModelSpec {
  readonly id: string;
  /** Other ids of the same model: undated aliases, Bedrock ids and inference profiles, Vertex ids. */
  readonly aliases?: readonly string[];
  readonly maxOutputTokens: number;
  /** Largest thinking budget the API accepts; absent for models that take no token budget. */
  readonly maxThinkingBudget?: number;
  /** ISO 8601 date (or date-time) of general availability on the provider's API. */
  readonly releasedAt?: string;
}

/**
 * Bedrock's cross-region inference profiles prefix the model id with a geography. `global.` exists
 * only for the Claude 4.5 generation and later; older models have the regional ones only.
 */
const REGIONAL_PROFILES = ["us", "eu", "apac"] as const;
const PROFILES_WITH_GLOBAL = [...REGIONAL_PROFILES, "global"] as const;

/** A Bedrock model id and the inference profiles that route to it. */
function bedrock(modelId: string, profiles: readonly string[]): string[] {
  return [modelId, ...profiles.map((profile) => `${profile}.${modelId}`)];
}

/**
 * Anthropic's extended thinking takes `budget_tokens`, which must be below `max_tokens`: the
 * largest budget a request can carry is one less than the model's output cap.
 */
function claudeThinking(maxOutputTokens: number): number {
  return maxOutputTokens - 1;
}

const ANTHROPIC: readonly ModelSpec[] = [
  {
    id: "claude-3-haiku-20240307",
    aliases: bedrock("anthropic.claude-3-haiku-20240307-v1:0", REGIONAL_PROFILES),
    maxOutputTokens: 4096,
    releasedAt: "2024-03-13",
  },
  {
    id: "claude-3-opus-20240229",
    aliases: ["claude-3-opus-latest", ...bedrock("anthropic.claude-3-opus-20240229-v1:0", ["us"])],
    maxOutputTokens: 4096,
    releasedAt: "2024-03-04",
  },
  {
    id: "claude-3-5-sonnet-20240620",
    aliases: [
      ...bedrock("anthropic.claude-3-5-sonnet-20240620-v1:0", REGIONAL_PROFILES),
      "claude-3-5-sonnet@20240620",
    ],
    maxOutputTokens: 8192,
    releasedAt: "2024-06-20",
  },
  {
    id: "claude-3-5-sonnet-20241022",
    aliases: [
      "claude-3-5-sonnet-latest",
      ...bedrock("anthropic.claude-3-5-sonnet-20241022-v2:0", REGIONAL_PROFILES),
      "claude-3-5-sonnet-v2@20241022",
    ],
    maxOutputTokens: 8192,
    releasedAt: "2024-10-22",
  },
  {
    id: "claude-3-5-haiku-20241022",
    aliases: [
      "claude-3-5-haiku-latest",
      ...bedrock("anthropic.claude-3-5-haiku-20241022-v1:0", REGIONAL_PROFILES),
      "claude-3-5-haiku@20241022",
    ],
    maxOutputTokens: 8192,
    // Announced 2024-10-22 with the id's date; the API opened it on 2024-11-04 (date not checked
    // against an Anthropic page, only against third-party changelogs).
    releasedAt: "2024-11-04",
  },
  {
    id: "claude-3-7-sonnet-20250219",
    aliases: [
      "claude-3-7-sonnet-latest",
      ...bedrock("anthropic.claude-3-7-sonnet-20250219-v1:0", REGIONAL_PROFILES),
      "claude-3-7-sonnet@20250219",
    ],
    // 64K; 128K only with the output-128k-2025-02-19 beta header, which the logs do not record.
    maxOutputTokens: 64000,
    maxThinkingBudget: claudeThinking(64000),
    releasedAt: "2025-02-24",
  },
  {
    id: "claude-sonnet-4-20250514",
    aliases: [
      "claude-sonnet-4-0",
      ...bedrock("anthropic.claude-sonnet-4-20250514-v1:0", PROFILES_WITH_GLOBAL),
      "claude-sonnet-4@20250514",
    ],
    maxOutputTokens: 64000,
    maxThinkingBudget: claudeThinking(64000),
    releasedAt: "2025-05-22",
  },
  {
    id: "claude-opus-4-20250514",
    aliases: [
      "claude-opus-4-0",
      ...bedrock("anthropic.claude-opus-4-20250514-v1:0", REGIONAL_PROFILES),
      "claude-opus-4@20250514",
    ],
    maxOutputTokens: 32000,
    maxThinkingBudget: claudeThinking(32000),
    releasedAt: "2025-05-22",
  },
  {
    id: "claude-opus-4-1-20250805",
    aliases: [
      "claude-opus-4-1",
      ...bedrock("anthropic.claude-opus-4-1-20250805-v1:0", REGIONAL_PROFILES),
      "claude-opus-4-1@20250805",
    ],
    maxOutputTokens: 32000,
    maxThinkingBudget: claudeThinking(32000),
    releasedAt: "2025-08-05",
  },
  {
    id: "claude-sonnet-4-5-20250929",
    aliases: [
      "claude-sonnet-4-5",
      ...bedrock("anthropic.claude-sonnet-4-5-20250929-v1:0", PROFILES_WITH_GLOBAL),
      "claude-sonnet-4-5@20250929",
    ],
    maxOutputTokens: 64000,
    maxThinkingBudget: claudeThinking(64000),
    releasedAt: "2025-09-29",
  },
  {
    id: "claude-haiku-4-5-20251001",
    aliases: [
      "claude-haiku-4-5",
      ...bedrock("anthropic.claude-haiku-4-5-20251001-v1:0", PROFILES_WITH_GLOBAL),
      "claude-haiku-4-5@20251001",
    ],
    maxOutputTokens: 64000,
    maxThinkingBudget: claudeThinking(64000),
    releasedAt: "2025-10-15",
  },
  {
    id: "claude-opus-4-5-20251101",
    aliases: [
      "claude-opus-4-5",
      ...bedrock("anthropic.claude-opus-4-5-20251101-v1:0", PROFILES_WITH_GLOBAL),
      "claude-opus-4-5@20251101",
    ],
    maxOutputTokens: 64000,
    maxThinkingBudget: claudeThinking(64000),
    releasedAt: "2025-11-24",
  },
  {
    // From the 4.6 generation Anthropic's ids are undated, and so is the Bedrock id (observed in
    // public code as `anthropic.claude-opus-4-6-v1`, without the `:0` of earlier ids; not checked
    // against an AWS page). Vertex AI uses the API id itself.
    id: "claude-opus-4-6",
    aliases: bedrock("anthropic.claude-opus-4-6-v1", PROFILES_WITH_GLOBAL),
    maxOutputTokens: 128000,
    maxThinkingBudget: claudeThinking(128000),
    releasedAt: "2026-02-05",
  },
  {
    // Anthropic's page gives 128K output; one third-party table gives 64K. The provider's figure is
    // kept: a cap set too low would only count requests near it as maxed, never miss them. The
    // Bedrock id (`anthropic.claude-sonnet-4-6`) is observed in public code, not on an AWS page.
    id: "claude-sonnet-4-6",
    aliases: bedrock("anthropic.claude-sonnet-4-6", PROFILES_WITH_GLOBAL),
    maxOutputTokens: 128000,
    maxThinkingBudget: claudeThinking(128000),
    releasedAt: "2026-02-17",
  },
];

/**
 * OpenAI's reasoning models take a reasoning effort, not a token budget, so none has a thinking
 * cap. Each undated id is the alias that points at the dated snapshot listed with it.
 */
const OPENAI: readonly ModelSpec[] = [
  {
    // The first snapshot (gpt-4o-2024-05-13) had a 4,096-token cap; the alias `gpt-4o` has pointed
    // at the 16,384-token snapshots since 2024-10.
    id: "gpt-4o-2024-08-06",
    aliases: ["gpt-4o", "gpt-4o-2024-11-20"],
    maxOutputTokens: 16384,
    releasedAt: "2024-08-06",
  },
  { id: "gpt-4o-2024-05-13", maxOutputTokens: 4096, releasedAt: "2024-05-13" },
  {
    id: "gpt-4o-mini-2024-07-18",
    aliases: ["gpt-4o-mini"],
    maxOutputTokens: 16384,
    releasedAt: "2024-07-18",
  },
  { id: "gpt-4.1-2025-04-14", aliases: ["gpt-4.1"], maxOutputTokens: 32768, releasedAt: "2025-04-14" },
  {
    id: "gpt-4.1-mini-2025-04-14",
    aliases: ["gpt-4.1-mini"],
    maxOutputTokens: 32768,
    releasedAt: "2025-04-14",
  },
  {
    id: "gpt-4.1-nano-2025-04-14",
    aliases: ["gpt-4.1-nano"],
    maxOutputTokens: 32768,
    releasedAt: "2025-04-14",
  },
  { id: "o1-2024-12-17", aliases: ["o1"], maxOutputTokens: 100000, releasedAt: "2024-12-17" },
  { id: "o3-mini-2025-01-31", aliases: ["o3-mini"], maxOutputTokens: 100000, releasedAt: "2025-01-31" },
  { id: "o3-2025-04-16", aliases: ["o3"], maxOutputTokens: 100000, releasedAt: "2025-04-16" },
  { id: "o4-mini-2025-04-16", aliases: ["o4-mini"], maxOutputTokens: 100000, releasedAt: "2025-04-16" },
  { id: "gpt-5-2025-08-07", aliases: ["gpt-5"], maxOutputTokens: 128000, releasedAt: "2025-08-07" },
  { id: "gpt-5-mini-2025-08-07", aliases: ["gpt-5-mini"], maxOutputTokens: 128000, releasedAt: "2025-08-07" },
  { id: "gpt-5-nano-2025-08-07", aliases: ["gpt-5-nano"], maxOutputTokens: 128000, releasedAt: "2025-08-07" },
];

/**
 * Gemini 2.5 takes a thinking budget: up to 32,768 tokens on Pro, 24,576 on Flash and Flash-Lite.
 * Gemini 2.0 does not think. Dates are general availability of the stable ids; the output caps are
 * Google's 65,536 (some tables show 65,535, the largest value below it that the API accepts).
 */
const GOOGLE: readonly ModelSpec[] = [
  {
    id: "gemini-2.0-flash-001",
    aliases: ["gemini-2.0-flash"],
    maxOutputTokens: 8192,
    releasedAt: "2025-02-05",
  },
  {
    id: "gemini-2.0-flash-lite-001",
    aliases: ["gemini-2.0-flash-lite"],
    maxOutputTokens: 8192,
    releasedAt: "2025-02-25",
  },
  { id: "gemini-2.5-pro", maxOutputTokens: 65536, maxThinkingBudget: 32768, releasedAt: "2025-06-17" },
  { id: "gemini-2.5-flash", maxOutputTokens: 65536, maxThinkingBudget: 24576, releasedAt: "2025-06-17" },
  // GA date from Google's release notes as reported by third parties; not checked on a Google page.
  { id: "gemini-2.5-flash-lite", maxOutputTokens: 65536, maxThinkingBudget: 24576, releasedAt: "2025-07-22" },
];

export const DEFAULT_MODELS: readonly ModelSpec[] = [...ANTHROPIC, ...OPENAI, ...GOOGLE];

/** Every id a model is known by: its canonical id first, then its aliases. */
export function modelNames(model: ModelSpec): string[] {
  return [model.id, ...(model.aliases ?? [])];
}

/** The catalogue entries that any of `model`'s names also name. */
export function entriesNamedBy(catalogue: readonly ModelSpec[], model: ModelSpec): ModelSpec[] {
  const names = new Set(modelNames(model));
  return catalogue.filter((entry) => modelNames(entry).some((name) => names.has(name)));
}

/**
 * The catalogue with a configuration's models applied. An entry naming a catalogue model (by its
 * id or any alias) overrides the fields it sets and adds its names as aliases, so the canonical id
 * stays the same and every id that reached the model before still does; other entries are added.
 * The configuration schema refuses an entry that names two catalogue models.
 */
export function withOverrides(catalogue: readonly ModelSpec[], overrides: readonly ModelSpec[]): ModelSpec[] {
  const merged = [...catalogue];
  for (const override of overrides) {
    const [base] = entriesNamedBy(merged, override);
    if (base === undefined) {
      merged.push(override);
      continue;
    }
    const names = [...new Set([...modelNames(base), ...modelNames(override)])];
    merged[merged.indexOf(base)] = { ...base, ...override, id: base.id, aliases: names.slice(1) };
  }
  return merged;
}
