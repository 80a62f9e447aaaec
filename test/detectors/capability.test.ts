import { describe, expect, it } from "vitest";
import { capability } from "../../lib/detectors/capability/capability.ts";
import { chatAccounts, detectorScore, firedFor, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** Synthetic agent tasks, each a standalone single turn with tool definitions and no session. */
function agenticHarvester(account: string): Record<string, unknown>[] {
  return Array.from({ length: 200 }, (_, i) =>
    request({
      account_id: account,
      tools: 12,
      turns: 1,
      prompt: `You are an autonomous agent. Task ${i}: fix the failing unit test in the repository and report the next action.`,
    }),
  );
}

/** A coding agent: sessions of many turns under one conversation id, tool results fed back. */
function codingAgent(account: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let session = 0; session < 10; session++) {
    for (let step = 0; step < 20; step++) {
      out.push(
        request({
          account_id: account,
          tools: 25,
          turns: 1 + step * 2,
          conversation_id: `sess-${account}-${session}`,
          prompt:
            step === 0
              ? `Refactor the payment module in the repository (session ${session})`
              : `Tool call result: run the tests -> ${step} passed`,
        }),
      );
    }
  }
  return out;
}

/** A developer who uses the API for everything: some code, some writing, some maths, some chat. */
function generalist(account: string): Record<string, unknown>[] {
  const kinds = [
    "Refactor this python function",
    "Write a poem about rain",
    "Prove that the sum of two even numbers is even",
    "Summarize this article for me",
    "What should I cook tonight",
  ];
  return Array.from({ length: 200 }, (_, i) =>
    request({ account_id: account, turns: 1, prompt: `${kinds[i % 5]} (${i})` }),
  );
}

describe("capability detector", () => {
  it("fires on narrow agentic traffic sent as standalone tasks outside any session", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...agenticHarvester("harvester"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(capability, logs);
    // Assess
    expect(firedFor(result, "harvester")).toEqual(["capability_concentration", "targeted_without_sessions"]);
    expect(signalOf(result, "harvester", "capability_concentration")?.explanation).toMatch(
      /^100% of 200 requests in targeted categories \(agentic 100%; population median targeted \d+%\)$/,
    );
  });

  it("keeps a coding agent low: narrow, but its work happens in long sessions", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...codingAgent("agent"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(capability, logs);
    // Assess
    expect(signalOf(result, "agent", "targeted_without_sessions")?.fired).toBe(false);
    expect(signalOf(result, "agent", "targeted_without_sessions")?.value).toBe(0);
    expect(detectorScore(result, "agent")).toBeLessThanOrEqual(0.08);
  });

  it("does not call a broad mix narrow", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": generalist("dev") } } });
    // Act
    const result = await runDetector(capability, logs);
    // Assess
    expect(signalOf(result, "dev", "capability_concentration")?.value).toBeCloseTo(0.2, 2);
    expect(firedFor(result, "dev")).toEqual([]);
  });

  it("raises the cut-off where agentic work is the population's norm", async () => {
    // Prepare: a population of coding agents, then the harvester with a fifth of its traffic elsewhere.
    const agents = Array.from({ length: 5 }, (_, a) => codingAgent(`agent-${a}`)).flat();
    const harvester = agenticHarvester("harvester").map((r, i) =>
      i % 10 < 9 ? r : { ...r, tools: null, prompt: `What should I cook tonight (${i})` },
    );
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [...agents, ...harvester] } } });
    // Act
    const result = await runDetector(capability, logs);
    // Assess
    const signal = signalOf(result, "harvester", "capability_concentration");
    expect(signal?.value).toBeCloseTo(0.9, 2);
    expect(signal?.threshold).toBe(0.99);
    expect(signal?.fired).toBe(false);
  });
});
