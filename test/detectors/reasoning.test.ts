import { describe, expect, it } from "vitest";
import { reasoning } from "../../lib/detectors/reasoning/reasoning.ts";
import { chatAccounts, detectorScore, firedFor, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** Hands the model answers from a data set and asks for the reasoning, at the full thinking budget. */
function traceHarvester(account: string): Record<string, unknown>[] {
  return Array.from({ length: 300 }, (_, i) =>
    request({
      account_id: account,
      model: "claude-sonnet-4-5-20250929",
      thinking_budget: 63999,
      prompt: `Problem ${i}: a train leaves at ${i} km/h. The final answer is ${i * 3}. Explain step by step the reasoning that leads to it.`,
    }),
  );
}

/** An evaluation harness: 100 benchmark items, four runs, a modest thinking budget. */
function evalHarness(account: string): Record<string, unknown>[] {
  return Array.from({ length: 400 }, (_, i) =>
    request({
      account_id: account,
      model: "claude-sonnet-4-5-20250929",
      thinking_budget: 8000,
      prompt: `Solve the problem below. Let's think step by step.\n\nBenchmark question ${i % 100}`,
    }),
  );
}

/** A reward-data job: the model grades responses against a rubric. */
function grader(account: string): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) =>
    request({
      account_id: account,
      prompt: `Grade the following response against this rubric, on a scale of 1 to 10. Response ${i}: ...`,
    }),
  );
}

/** A tutoring provider's population: most accounts ask for worked, step-by-step solutions. */
function tutoringPopulation(): Record<string, unknown>[] {
  return Array.from({ length: 30 }, (_, a) =>
    Array.from({ length: 40 }, (_, i) =>
      request({
        account_id: `student-${a}`,
        prompt:
          i % 10 < 7
            ? `Homework ${a}-${i}: explain step by step how to factor this polynomial`
            : `Homework ${a}-${i}: what does this word mean`,
      }),
    ),
  ).flat();
}

describe("reasoning detector", () => {
  it("fires on answer reconstruction with step-by-step prompts at the model's thinking cap", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...traceHarvester("harvester"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(reasoning, logs);
    // Assess
    expect(firedFor(result, "harvester")).toEqual([
      "answer_reconstruction",
      "max_thinking_budget",
      "step_by_step",
    ]);
    expect(signalOf(result, "harvester", "max_thinking_budget")?.explanation).toBe(
      "100% of 300 requests set the thinking budget at the model's maximum (claude-sonnet-4-5-20250929 63,999)",
    );
    expect(detectorScore(result, "harvester")).toBeGreaterThan(0.45);
  });

  it("stays quiet on an evaluation harness that replays its items with a modest thinking budget", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...evalHarness("evals"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(reasoning, logs);
    // Assess
    expect(signalOf(result, "evals", "step_by_step")?.value).toBeCloseTo(0.25, 2);
    expect(firedFor(result, "evals")).toEqual([]);
  });

  it("flags rubric grading on its own, with a small weight", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": grader("grader") } } });
    // Act
    const result = await runDetector(reasoning, logs);
    // Assess
    expect(firedFor(result, "grader")).toEqual(["rubric_grading"]);
    expect(detectorScore(result, "grader")).toBeLessThanOrEqual(0.12);
  });

  it("raises the step-by-step cut-off where such prompts are the population's norm", async () => {
    // Prepare: the harvester without its answers, so only step-by-step is left to judge.
    const plain = traceHarvester("harvester").map((r, i) => ({
      ...r,
      thinking_budget: 0,
      prompt: i % 10 < 8 ? `Item ${i}: explain step by step why tides happen` : `Item ${i}: list three tides`,
    }));
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...plain, ...tutoringPopulation()] } },
    });
    // Act
    const result = await runDetector(reasoning, logs);
    // Assess
    const signal = signalOf(result, "harvester", "step_by_step");
    expect(signal?.value).toBeCloseTo(0.8, 2);
    expect(signal?.threshold).toBeCloseTo(0.95, 2);
    expect(signal?.fired).toBe(false);
  });
});
