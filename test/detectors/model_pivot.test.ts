import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import { modelPivot } from "../../lib/detectors/model_pivot/model_pivot.ts";
import { at, chatAccounts, prng, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";
import { runStage } from "../support/stage.ts";

const RELEASE_HOUR = 14;
/** The model the traffic used before: catalogued, released long before the window. */
const OLD_MODEL = "claude-sonnet-4-5-20250929";
/** A model the default catalogue does not know: new only by its first appearance. */
const NEW_MODEL = "claude-opus-4-7";
/** A catalogued model released before the window (2026-02-05): never new, however late it first appears. */
const CATALOGUED_MODEL = "claude-opus-4-6";
const WORDS = [
  "tides",
  "lichens",
  "opera",
  "bridges",
  "comets",
  "tea",
  "chess",
  "wool",
  "salt",
  "bees",
  "maps",
];

/** A pipeline on one template: old model until the release, the new one from an hour after it. */
function pipeline(
  account: string,
  seed: number,
  newModel: (i: number) => string = () => NEW_MODEL,
): Record<string, unknown>[] {
  const rnd = prng(seed);
  return Array.from({ length: 140 }, (_, i) => {
    const seconds = (i / 140) * 86_000;
    return request({
      account_id: account,
      ts: at(seconds),
      model: seconds >= (RELEASE_HOUR + 1) * 3600 ? newModel(i) : OLD_MODEL,
      prompt: `Solve step by step: ${Math.floor(rnd() * 999)} * ${Math.floor(rnd() * 999)}`,
    });
  });
}

/** Accounts that try the new model for a couple of their requests and keep the old one. */
function triers(newModel = NEW_MODEL): Record<string, unknown>[] {
  return Array.from({ length: 5 }, (_, a) =>
    Array.from({ length: 24 }, (_, i) =>
      request({
        account_id: `trier-${a}`,
        ts: at((RELEASE_HOUR + 0.5) * 3600 + i * 400 + a * 7),
        model: i % 6 === 0 ? newModel : OLD_MODEL,
        prompt: `what about ${WORDS[i % 11]} and ${WORDS[(i + a) % 11]} today`,
      }),
    ),
  ).flat();
}

/** A developer who switches everything to the release at once, asking varied questions. */
function earlyAdopter(): Record<string, unknown>[] {
  return Array.from({ length: 30 }, (_, i) =>
    request({
      account_id: "early-adopter",
      ts: at((RELEASE_HOUR + 0.2) * 3600 + i * 900),
      model: NEW_MODEL,
      prompt: `compare ${WORDS[i % 11]} with ${WORDS[Math.floor(i / 11)]} for my notes`,
    }),
  );
}

function logs(extra: Record<string, unknown>[] = []): string {
  // The new model's first request comes from a trier, fourteen and a half hours into the window.
  return writeLogs({
    requests: {
      "2026-02-16": {
        "a.jsonl": [...chatAccounts(40, 12, 5), ...pipeline("pipeline", 1), ...triers(), ...extra],
      },
    },
  });
}

describe("model_pivot detector", () => {
  it("fires on a pipeline re-pointed at a newly seen model within 24 hours", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(modelPivot, dir);
    // Assess
    const signal = signalOf(result, "pipeline", "new_model_pivot");
    expect(signal?.fired).toBe(true);
    // Half an hour of old-model traffic remains between the new model's first request and the switch.
    expect(signal?.value).toBeGreaterThan(0.9);
    expect(signal?.weight).toBeLessThanOrEqual(0.3);
    expect(signal?.explanation).toMatch(/^moved 95% of its traffic to claude-opus-4-7 within 24 h/);
  });

  it("stays quiet on accounts that only try the new model beside the old one", async () => {
    // Prepare
    const dir = logs();
    // Act
    const result = await runStage(modelPivot, dir);
    // Assess
    for (let a = 0; a < 5; a++)
      expect(signalOf(result, `trier-${a}`, "new_model_pivot")?.fired ?? false).toBe(false);
    expect(signalOf(result, "person-0", "new_model_pivot")).toBeUndefined();
  });

  it("lets an early adopter's switch count little: never a finding on its own", async () => {
    // Prepare
    const dir = logs(earlyAdopter());
    // Act
    const result = await runStage(modelPivot, dir);
    // Assess
    const adopter = signalOf(result, "early-adopter", "new_model_pivot");
    expect(adopter?.explanation).toMatch(/^started with 100% of its traffic to claude-opus-4-7/);
    expect(adopter?.contribution).toBeLessThan(parseConfig({}).severity.low);
  });

  it("stays quiet when everyone moved as fast", async () => {
    // Prepare: the whole population switches with the release.
    const everyone = chatAccounts(40, 12, 5).map((r) => ({
      ...r,
      model: Date.parse(r.ts as string) >= Date.parse(at((RELEASE_HOUR + 1) * 3600)) ? NEW_MODEL : OLD_MODEL,
    }));
    const dir = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...everyone, ...pipeline("pipeline", 1), ...triers()] } },
    });
    // Act
    const result = await runStage(modelPivot, dir);
    // Assess
    expect(signalOf(result, "pipeline", "new_model_pivot")?.fired).toBe(false);
  });

  it("follows the configured release date and never calls a catalogued old model new", async () => {
    // Prepare: the pipeline moves at 01:00 to a model configured as released then; the triers try,
    // from 14:30, a model the built-in catalogue dates before the window.
    const early = pipeline("pipeline", 1).map((r) => ({
      ...r,
      ts:
        r.model === NEW_MODEL
          ? at(Date.parse(r.ts as string) / 1000 - Date.parse(at(0)) / 1000 - 13 * 3600)
          : r.ts,
    }));
    const config = parseConfig({
      models: [{ id: NEW_MODEL, maxOutputTokens: 128000, releasedAt: "2026-02-16T01:00:00Z" }],
    });
    const adopters = ["a", "b", "c"].map((x, i) =>
      request({ account_id: `adopter-${x}`, ts: at(2 * 3600 + i * 60), model: NEW_MODEL }),
    );
    const dir = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [...chatAccounts(40, 12, 5), ...early, ...triers(CATALOGUED_MODEL), ...adopters],
        },
      },
    });
    // Act
    const result = await runStage(modelPivot, dir, { config });
    // Assess
    expect(signalOf(result, "pipeline", "new_model_pivot")?.explanation).toMatch(/claude-opus-4-7/);
    expect(result.accountSignals.some((s) => s.signal.explanation.includes(CATALOGUED_MODEL))).toBe(false);
  });

  it("counts a model's Bedrock ids as the model: one release, one share", async () => {
    // Prepare: the pipeline sends every other request after the release through a Bedrock
    // inference profile of the new model; the triers use the canonical id.
    const profile = `us.anthropic.${NEW_MODEL}-v1`;
    const config = parseConfig({
      models: [{ id: NEW_MODEL, aliases: [profile], maxOutputTokens: 128000 }],
    });
    const dir = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            ...chatAccounts(40, 12, 5),
            ...pipeline("pipeline", 1, (i) => (i % 2 === 0 ? profile : NEW_MODEL)),
            ...triers(),
          ],
        },
      },
    });
    // Act
    const result = await runStage(modelPivot, dir, { config });
    // Assess: read as two models, the pipeline would have moved under half its traffic to each.
    const signal = signalOf(result, "pipeline", "new_model_pivot");
    expect(signal?.fired).toBe(true);
    expect(signal?.value).toBeGreaterThan(0.9);
    expect(result.accountSignals.some((s) => s.signal.explanation.includes(profile))).toBe(false);
  });
});
