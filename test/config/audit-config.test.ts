import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../lib/config/config.ts";
import { DEFAULT_MODELS } from "../../lib/config/models.ts";

describe("audit configuration", () => {
  it("refuses a model listed twice, naming it and where", () => {
    // Prepare
    const models = [...DEFAULT_MODELS, { ...DEFAULT_MODELS[0], releasedAt: "2026-02-20T00:00:00Z" }];

    // Act
    const parse = () => parseConfig({ models }, "audit.json");

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      new RegExp(`models\\.${DEFAULT_MODELS.length}\\.id.*"${DEFAULT_MODELS[0]?.id}" is listed twice`),
    );
  });

  it("accepts distinct models", () => {
    // Act
    const config = parseConfig({ models: [...DEFAULT_MODELS] });

    // Assess
    expect(config.models.map((m) => m.id)).toEqual(DEFAULT_MODELS.map((m) => m.id));
  });
});
