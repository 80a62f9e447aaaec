import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/config.ts";
import { templateConcentration } from "../../lib/detectors/template_concentration/template_concentration.ts";
import { chatAccounts, prng, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

const SUBJECTS = ["a triangle", "a bank loan", "a chemical reaction", "a sorting algorithm", "a tax bracket"];

/** One template filled from a data set: every question is new. */
function datasetFed(account: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    request({
      account_id: account,
      prompt: `Solve the following problem and explain every step in detail. Problem: "Question ${i} about ${SUBJECTS[i % 5]} with value ${i * 7}". Give a complete answer.`,
    }),
  );
}

/** A single-purpose app: one template, but its users send the same few reviews again and again. */
function reviewApp(account: string, n: number): Record<string, unknown>[] {
  const rnd = prng(5);
  return Array.from({ length: n }, () => {
    const review = Math.floor(rnd() * rnd() * 40);
    return request({
      account_id: account,
      prompt: `Classify the sentiment of this customer review as positive, negative or neutral: "Review text number ${review} from our shop"`,
    });
  });
}

/** An evaluation harness: the same 100 items, run four times. */
function evalHarness(account: string): Record<string, unknown>[] {
  return Array.from({ length: 400 }, (_, i) =>
    request({
      account_id: account,
      prompt: `Answer the question. Think step by step. Question: "Benchmark item ${i % 100}"`,
    }),
  );
}

describe("template_concentration detector", () => {
  it("fires on one template fed from a data set, naming the share and the fill uniqueness", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...datasetFed("harvester", 400), ...chatAccounts(3, 150)] } },
    });
    // Act
    const result = await runDetector(templateConcentration, logs);
    // Assess
    const signal = signalOf(result, "harvester", "templated_unique_fills");
    expect(signal?.fired).toBe(true);
    expect(signal?.value).toBeGreaterThan(0.95);
    expect(signal?.explanation).toMatch(
      /^100% of 400 requests open with 1 template frame\(s\) \(top [0-9a-f]{16}: 100%\), 100% unique fills$/,
    );
    expect(signalOf(result, "person-0", "templated_unique_fills")?.fired).toBe(false);
  });

  it("stays quiet on a single-purpose app whose fills repeat and on an eval harness replaying items", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...reviewApp("app", 400), ...evalHarness("evals")] } },
    });
    // Act
    const result = await runDetector(templateConcentration, logs);
    // Assess
    expect(signalOf(result, "app", "templated_unique_fills")?.fired).toBe(false);
    expect(signalOf(result, "app", "templated_unique_fills")?.value).toBeLessThan(0.2);
    expect(signalOf(result, "evals", "templated_unique_fills")?.fired).toBe(false);
    expect(signalOf(result, "evals", "templated_unique_fills")?.value).toBeCloseTo(0.25, 2);
  });

  it("ignores allowlisted frames and accounts below the volume floor", async () => {
    // Prepare
    const logs = writeLogs({
      requests: {
        "2026-02-16": { "a.jsonl": [...datasetFed("harvester", 400), ...datasetFed("small", 40)] },
      },
    });
    const first = await runDetector(templateConcentration, logs);
    const hex = /top ([0-9a-f]{16})/.exec(
      signalOf(first, "harvester", "templated_unique_fills")?.explanation ?? "",
    )?.[1] as string;
    const config = parseConfig({ allowlist: { skeletons: [hex] } });
    // Act
    const result = await runDetector(templateConcentration, logs, {}, config);
    // Assess
    expect(signalOf(first, "small", "templated_unique_fills")).toBeUndefined();
    expect(hex).toHaveLength(16);
    expect(signalOf(result, "harvester", "templated_unique_fills")).toBeUndefined();
  });
});
