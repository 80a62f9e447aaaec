/**
 * The model catalogue the auditor knows by default: output caps (to tell when a request maxes its
 * output) and thinking-budget caps. Release dates are optional: the model-release detector infers
 * "newly seen" models from traffic when none is configured. Users override this in their config.
 */
export interface ModelSpec {
  readonly id: string;
  readonly maxOutputTokens: number;
  readonly maxThinkingBudget: number;
  readonly releasedAt?: string;
}

export const DEFAULT_MODELS: readonly ModelSpec[] = [
  { id: "orion-2", maxOutputTokens: 8192, maxThinkingBudget: 16000 },
  { id: "orion-2-mini", maxOutputTokens: 4096, maxThinkingBudget: 8000 },
  { id: "orion-2.5", maxOutputTokens: 16384, maxThinkingBudget: 32000 },
  { id: "orion-3", maxOutputTokens: 32768, maxThinkingBudget: 64000 },
];
