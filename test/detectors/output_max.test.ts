import { describe, expect, it } from "vitest";
import { outputMax } from "../../lib/detectors/output_max/output_max.ts";
import {
  auditWithOnly,
  chatAccounts,
  detectorScore,
  firedFor,
  runDetector,
  signalOf,
} from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** Short prompts, output cap at the model maximum, long outputs, one temperature. */
function harvester(
  account: string,
  withCapOn: (i: number) => boolean = () => true,
  model = "claude-opus-4-1-20250805",
  cap = 32000,
): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) =>
    request({
      account_id: account,
      model,
      max_tokens: withCapOn(i) ? cap : null,
      temperature: 1,
      input_tokens: 150,
      output_tokens: 9000 + i,
      prompt: `Task ${i}`,
    }),
  );
}

/** An app with a pinned temperature and a small output cap. */
function pinnedApp(account: string): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) =>
    request({
      account_id: account,
      max_tokens: 512,
      temperature: 0.2,
      input_tokens: 300,
      output_tokens: 120,
      prompt: `Tag ${i}`,
    }),
  );
}

/** A coding agent that leaves max_tokens at the cap but sends long contexts. */
function codingAgent(account: string): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) =>
    request({
      account_id: account,
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 64000,
      input_tokens: 20000,
      output_tokens: 600,
      prompt: `Step ${i}`,
    }),
  );
}

describe("output_max detector", () => {
  it("fires on maxed output caps, long outputs for short prompts and one temperature", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...harvester("harvester"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    // Assess
    expect(firedFor(result, "harvester")).toEqual([
      "constant_temperature",
      "max_tokens_at_cap",
      "output_input_ratio",
    ]);
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.explanation).toBe(
      "100% of 200 requests set max_tokens at the model's cap (claude-opus-4-1-20250805 32,000)",
    );
    expect(detectorScore(result, "harvester")).toBeLessThan(0.45);
  });

  it("gives an app with a pinned temperature only the small constant-temperature weight", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...pinnedApp("app"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    // Assess
    expect(firedFor(result, "app")).toEqual(["constant_temperature"]);
    expect(detectorScore(result, "app")).toBeLessThanOrEqual(0.05);
  });

  it("keeps a coding agent's ratio quiet: it maxes the cap but sends long contexts", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...codingAgent("agent"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    // Assess
    expect(firedFor(result, "agent")).toEqual(["max_tokens_at_cap"]);
    expect(signalOf(result, "agent", "output_input_ratio")?.value).toBeLessThan(0.2);
  });

  it("knows the cap of a catalogued model reached through a Bedrock inference profile", async () => {
    // Prepare
    const profile = "us.anthropic.claude-opus-4-1-20250805-v1:0";
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [...harvester("harvester", () => true, profile), ...chatAccounts(20, 30)],
        },
      },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    // Assess
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.fired).toBe(true);
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.explanation).toBe(
      "100% of 200 requests set max_tokens at the model's cap (claude-opus-4-1-20250805 32,000)",
    );
  });

  it("infers the cap of a model the catalogue lacks from the highest max_tokens asked of it", async () => {
    // Prepare: a harvester at the unknown model's cap beside an app asking it for short answers.
    const unknown = "acme-large-2";
    const app = Array.from({ length: 200 }, (_, i) =>
      request({ account_id: "app", model: unknown, max_tokens: 2048, prompt: `Summarise ticket ${i}` }),
    );
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [...harvester("harvester", () => true, unknown, 24000), ...app, ...chatAccounts(20, 30)],
        },
      },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    const outcome = await auditWithOnly("output_max", logs);
    // Assess
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.explanation).toBe(
      "100% of 200 requests set max_tokens at the model's cap (acme-large-2 24,000 (inferred from traffic))",
    );
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.fired).toBe(true);
    expect(signalOf(result, "app", "max_tokens_at_cap")?.fired).toBe(false);
    expect(outcome.document.data_quality.notes).toEqual([
      expect.stringContaining("caps inferred from traffic for 1 model missing from the model catalogue"),
    ]);
    expect(outcome.document.data_quality.notes[0]).toContain("acme-large-2 (output 24,000)");
  });

  it("computes the cap share over the requests that carry max_tokens", async () => {
    // Prepare: every other request omits max_tokens.
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": harvester("harvester", (i) => i % 2 === 0) } },
    });
    // Act
    const result = await runDetector(outputMax, logs);
    // Assess
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.value).toBe(1);
    expect(signalOf(result, "harvester", "max_tokens_at_cap")?.explanation).toMatch(/^100% of 100 requests/);
  });

  it("reports that it could not run when no request carries max_tokens", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": harvester("harvester", () => false) } },
    });
    // Act
    const outcome = await auditWithOnly("output_max", logs);
    // Assess
    expect(outcome.document.detectors).toEqual([
      expect.objectContaining({
        id: "output_max",
        status: "skipped",
        reason: "no request carries max_tokens",
      }),
    ]);
  });
});
