import { describe, expect, it } from "vitest";
import { datasetShape } from "../../lib/detectors/dataset_shape/dataset_shape.ts";
import { auditWithOnly, chatAccounts, prng, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** Rows of a data set, one standalone request each. */
function datasetRun(account: string, withTurns = true): Record<string, unknown>[] {
  return Array.from({ length: 300 }, (_, i) =>
    request({
      account_id: account,
      turns: withTurns ? 1 : null,
      prompt: `Translate sentence ${i} to French`,
    }),
  );
}

/** A single-purpose app: single turns, but its users keep sending the same few inputs. */
function faqApp(account: string): Record<string, unknown>[] {
  const rnd = prng(3);
  return Array.from({ length: 300 }, () =>
    request({ account_id: account, turns: 1, prompt: `FAQ question ${Math.floor(rnd() * rnd() * 60)}` }),
  );
}

describe("dataset_shape detector", () => {
  it("fires on standalone, never-repeated single-turn requests", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": datasetRun("runner") } } });
    // Act
    const result = await runDetector(datasetShape, logs);
    // Assess
    const signal = signalOf(result, "runner", "standalone_unique_prompts");
    expect(signal?.fired).toBe(true);
    expect(signal?.explanation).toBe(
      "100% of 300 requests single-turn, no conversation ids, 100% distinct prompts",
    );
  });

  it("stays quiet on a single-purpose app whose inputs repeat, and on people in conversations", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...faqApp("app"), ...chatAccounts(2, 150)] } },
    });
    // Act
    const result = await runDetector(datasetShape, logs);
    // Assess
    expect(signalOf(result, "app", "standalone_unique_prompts")?.fired).toBe(false);
    expect(signalOf(result, "app", "standalone_unique_prompts")?.value).toBeLessThan(0.3);
    expect(signalOf(result, "person-0", "standalone_unique_prompts")?.fired).toBe(false);
    expect(signalOf(result, "person-0", "standalone_unique_prompts")?.explanation).toMatch(
      /% in continued conversations/,
    );
  });

  it("does not judge an account whose turn counts are missing", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...datasetRun("runner"), ...datasetRun("unknown", false)] } },
    });
    // Act
    const result = await runDetector(datasetShape, logs);
    // Assess
    expect(signalOf(result, "runner", "standalone_unique_prompts")?.fired).toBe(true);
    expect(signalOf(result, "unknown", "standalone_unique_prompts")).toBeUndefined();
  });

  it("reports that it could not run when no request carries a turn count", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": datasetRun("unknown", false) } } });
    // Act
    const outcome = await auditWithOnly("dataset_shape", logs);
    // Assess
    expect(outcome.document.detectors).toEqual([
      expect.objectContaining({ id: "dataset_shape", status: "skipped", reason: "no request carries turns" }),
    ]);
  });
});
