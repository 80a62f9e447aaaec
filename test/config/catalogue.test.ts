import { describe, expect, it } from "vitest";
import { ModelCatalogue } from "../../lib/config/catalogue.ts";
import { ConfigError, parseConfig } from "../../lib/config/config.ts";
import { DEFAULT_MODELS, modelNames } from "../../lib/config/models.ts";
import { NEW_MODEL_ID } from "../../lib/generate/core.ts";

/** The catalogue an audit with the given configured models would use, before any traffic. */
function catalogueOf(models: unknown[] = [], observed: ConstructorParameters<typeof ModelCatalogue>[1] = []) {
  return new ModelCatalogue(parseConfig({ models }).models, observed);
}

describe("the default model catalogue", () => {
  it("gives every name exactly one model", () => {
    // Act
    const names = DEFAULT_MODELS.flatMap(modelNames);
    // Assess
    expect(new Set(names).size).toBe(names.length);
  });

  it("dates every model with a valid ISO date and keeps thinking budgets within the output cap", () => {
    for (const model of DEFAULT_MODELS) {
      expect(Number.isNaN(Date.parse(model.releasedAt ?? "")), model.id).toBe(false);
      expect(model.maxThinkingBudget ?? 0, model.id).toBeLessThanOrEqual(model.maxOutputTokens);
    }
  });

  it("does not know the generator's new model, so generated releases exercise inferred caps", () => {
    expect(catalogueOf().resolve(NEW_MODEL_ID)).toBeUndefined();
  });
});

describe("model resolution", () => {
  it.each([
    ["the canonical id", "claude-sonnet-4-5-20250929"],
    ["the undated alias", "claude-sonnet-4-5"],
    ["the Bedrock id", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["a cross-region inference profile", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["the global inference profile", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["the Vertex AI id", "claude-sonnet-4-5@20250929"],
  ])("resolves %s to the one catalogue entry", (_name, id) => {
    // Act
    const model = catalogueOf().resolve(id);
    // Assess
    expect(model).toEqual({
      id: "claude-sonnet-4-5-20250929",
      maxOutputTokens: 64000,
      maxThinkingBudget: 63999,
      releasedAt: "2025-09-29",
      source: "catalogue",
    });
  });

  it("gives a model that takes no thinking budget no thinking cap", () => {
    expect(catalogueOf().resolve("gpt-4o")?.maxThinkingBudget).toBeUndefined();
  });

  it("infers an unknown model's caps from the traffic and names it in a note", () => {
    // Prepare
    const observed = [
      { model: "acme-large-2", requests: 900, top_max_tokens: 24000, top_thinking_budget: 12000 },
      { model: "claude-opus-4-6", requests: 50, top_max_tokens: 1000, top_thinking_budget: null },
    ];
    // Act
    const catalogue = catalogueOf([], observed);
    // Assess: the catalogued model keeps its own cap whatever the traffic asked of it.
    expect(catalogue.resolve("acme-large-2")).toEqual({
      id: "acme-large-2",
      maxOutputTokens: 24000,
      maxThinkingBudget: 12000,
      source: "traffic",
    });
    expect(catalogue.resolve("claude-opus-4-6")?.maxOutputTokens).toBe(128000);
    expect(catalogue.inferred().map((m) => m.id)).toEqual(["acme-large-2"]);
    expect(catalogue.inferenceNote()).toContain("acme-large-2 (output 24,000, thinking 12,000)");
    expect(catalogueOf([], observed.slice(1)).inferenceNote()).toBeNull();
  });

  it("infers no cap for an unknown model no request gave max_tokens", () => {
    // Act
    const model = catalogueOf(
      [],
      [{ model: "mystery", requests: 3, top_max_tokens: null, top_thinking_budget: null }],
    );
    // Assess
    expect(model.resolve("mystery")).toEqual({ id: "mystery", source: "traffic" });
    expect(model.inferenceNote()).toContain("mystery (no max_tokens seen)");
  });

  it("lets the configuration override a built-in model through any of its names, keeping its aliases", () => {
    // Act: override by the Bedrock id, adding a gateway's own name for the model.
    const catalogue = catalogueOf([
      {
        id: "anthropic.claude-opus-4-1-20250805-v1:0",
        aliases: ["gateway/opus"],
        maxOutputTokens: 16000,
      },
    ]);
    // Assess
    for (const id of [
      "claude-opus-4-1-20250805",
      "us.anthropic.claude-opus-4-1-20250805-v1:0",
      "gateway/opus",
    ]) {
      expect(catalogue.resolve(id)).toEqual({
        id: "claude-opus-4-1-20250805",
        maxOutputTokens: 16000,
        maxThinkingBudget: 31999,
        releasedAt: "2025-08-05",
        source: "catalogue",
      });
    }
    expect(catalogue.models).toHaveLength(DEFAULT_MODELS.length);
  });

  it("adds a configured model the catalogue lacks, with a date-time release", () => {
    // Act
    const catalogue = catalogueOf([
      { id: "acme-large-2", maxOutputTokens: 32000, releasedAt: "2026-02-19T17:00:00Z" },
    ]);
    // Assess
    expect(catalogue.resolve("acme-large-2")).toEqual({
      id: "acme-large-2",
      maxOutputTokens: 32000,
      releasedAt: "2026-02-19T17:00:00Z",
      source: "catalogue",
    });
  });

  it("refuses an alias claimed by two configured models, naming both", () => {
    // Prepare
    const models = [
      { id: "acme-large-2", aliases: ["acme-large"], maxOutputTokens: 32000 },
      { id: "acme-large-3", aliases: ["acme-large"], maxOutputTokens: 64000 },
    ];
    // Act
    const parse = () => parseConfig({ models }, "audit.json");
    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      /models\.1\.aliases\.0.*"acme-large" is listed twice \(also under "acme-large-2"\)/,
    );
  });

  it("refuses an entry whose names reach two built-in models", () => {
    // Prepare
    const models = [{ id: "claude-opus-4-1", aliases: ["claude-opus-4-5"], maxOutputTokens: 32000 }];
    // Act / Assess
    expect(() => parseConfig({ models })).toThrow(/names 2 built-in models/);
  });
});
