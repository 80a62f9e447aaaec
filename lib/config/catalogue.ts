import { type AuditWindow, type QueryEngine, type QueryStats, windowParams } from "../engine/port.ts";
import { type ModelSpec, modelNames } from "./models.ts";

/**
 * The one place detectors learn a model's caps and release date. It resolves any id a request
 * carries (canonical id, undated alias, Bedrock id or inference profile, Vertex id) to its
 * catalogue entry, and for an id the catalogue lacks it falls back on what the window's own
 * traffic shows: the highest max_tokens and thinking budget requested for it (the `model_usage`
 * query). Without that fallback every cap-based signal would be silently off on real traffic with
 * a model the catalogue does not know yet, while its detector reports that it ran.
 */

/** What the window's traffic shows of one model id (a row of lib/sql/model_usage.sql). */
export interface ObservedModel {
  readonly model: string;
  readonly requests: number;
  readonly top_max_tokens: number | null;
  readonly top_thinking_budget: number | null;
}

export interface ResolvedModel {
  /** The canonical id: the same for every alias of one model. */
  readonly id: string;
  readonly maxOutputTokens?: number;
  readonly maxThinkingBudget?: number;
  readonly releasedAt?: string;
  /** `catalogue` when configured or built in; `traffic` when the caps were inferred from the window. */
  readonly source: "catalogue" | "traffic";
}

/** 41200 → "41,200", as detector explanations write counts (fixed locale). */
function tokens(n: number): string {
  return n.toLocaleString("en-US");
}

export class ModelCatalogue {
  private readonly byName = new Map<string, ModelSpec>();
  private readonly inferredByName = new Map<string, ResolvedModel>();

  constructor(
    readonly models: readonly ModelSpec[],
    observed: readonly ObservedModel[] = [],
  ) {
    for (const model of models) {
      for (const name of modelNames(model)) this.byName.set(name, model);
    }
    for (const row of observed) {
      if (this.byName.has(row.model)) continue;
      this.inferredByName.set(row.model, {
        id: row.model,
        source: "traffic",
        ...(row.top_max_tokens !== null && row.top_max_tokens > 0
          ? { maxOutputTokens: row.top_max_tokens }
          : {}),
        ...(row.top_thinking_budget !== null && row.top_thinking_budget > 0
          ? { maxThinkingBudget: row.top_thinking_budget }
          : {}),
      });
    }
  }

  /** The model a request's id names, or undefined for an id neither catalogued nor seen. */
  resolve(id: string | null): ResolvedModel | undefined {
    if (id === null) return undefined;
    const spec = this.byName.get(id);
    if (spec === undefined) return this.inferredByName.get(id);
    return {
      id: spec.id,
      maxOutputTokens: spec.maxOutputTokens,
      source: "catalogue",
      ...(spec.maxThinkingBudget !== undefined ? { maxThinkingBudget: spec.maxThinkingBudget } : {}),
      ...(spec.releasedAt !== undefined ? { releasedAt: spec.releasedAt } : {}),
    };
  }

  /** Models the window used that the catalogue lacks, with the caps inferred for them. */
  inferred(): ResolvedModel[] {
    return [...this.inferredByName.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Every non-canonical name with the canonical id it stands for, for SQL that groups by model. */
  aliases(): { names: string[]; canonical: string[] } {
    const names: string[] = [];
    const canonical: string[] = [];
    for (const model of this.models) {
      for (const alias of model.aliases ?? []) {
        names.push(alias);
        canonical.push(model.id);
      }
    }
    return { names, canonical };
  }

  /**
   * The data-quality note naming the models whose caps come from the traffic, or none when the
   * catalogue knew every model the window used.
   */
  inferenceNote(): string | null {
    const inferred = this.inferred();
    if (inferred.length === 0) return null;
    const described = inferred.map((m) => {
      const output =
        m.maxOutputTokens === undefined ? "no max_tokens seen" : `output ${tokens(m.maxOutputTokens)}`;
      const thinking = m.maxThinkingBudget === undefined ? "" : `, thinking ${tokens(m.maxThinkingBudget)}`;
      return `${m.id} (${output}${thinking})`;
    });
    return (
      `caps inferred from traffic for ${inferred.length} model${inferred.length === 1 ? "" : "s"} missing from the ` +
      `model catalogue, as the highest max_tokens and thinking budget requested in the window: ${described.join(", ")}; ` +
      "add them to the configuration's models for exact caps and a release date"
    );
  }
}

/**
 * The catalogue for one audit: the configured models, with caps inferred for the models the
 * window's traffic uses that the catalogue lacks (one small aggregate over the window).
 */
export async function loadModelCatalogue(
  engine: QueryEngine,
  window: AuditWindow,
  models: readonly ModelSpec[],
): Promise<{ catalogue: ModelCatalogue; stats: QueryStats }> {
  const usage = await engine.run<ObservedModel & Record<string, string | number | null>>(
    "model_usage",
    windowParams(window),
  );
  return { catalogue: new ModelCatalogue(models, usage.rows), stats: usage.stats };
}
