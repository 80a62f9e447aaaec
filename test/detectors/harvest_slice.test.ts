import { describe, expect, it } from "vitest";
import { harvestSlice } from "../../lib/detectors/harvest_slice/harvest_slice.ts";
import { chatAccounts, firedFor, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** Single-turn requests on one frame, every fill new, max_tokens at the model's cap. */
function harvest(account: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    request({
      account_id: account,
      model: "claude-opus-4-1-20250805",
      max_tokens: 32000,
      turns: 1,
      prompt: `Derive the full worked solution for this exercise, every step shown: a tank holds ${i + 3} litres and loses ${2 * i + 1} per hour.`,
    }),
  );
}

/** An app that sends its users' questions through one template: the fills repeat. */
function singlePurposeApp(account: string): Record<string, unknown>[] {
  return Array.from({ length: 400 }, (_, i) =>
    request({
      account_id: account,
      model: "claude-opus-4-1-20250805",
      max_tokens: 32000,
      turns: 1,
      prompt: `Summarise this support ticket for the agent on duty: ticket about "${["refund", "login", "shipping", "invoice"][i % 4]}" case ${i % 40}`,
    }),
  );
}

/** One account's ordinary chat traffic, re-labelled to `account`, optionally with the SDK's default cap. */
function ordinary(account: string, n: number, seed: number, atCap = false): Record<string, unknown>[] {
  return chatAccounts(1, n, seed, `${account}-users`).map((r) => ({
    ...r,
    account_id: account,
    ...(atCap ? { model: "claude-opus-4-1-20250805", max_tokens: 32000 } : {}),
  }));
}

describe("harvest_slice detector", () => {
  it("finds the harvest slice inside a reseller's ordinary traffic", async () => {
    // Prepare
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [...ordinary("reseller", 300, 3), ...harvest("reseller", 250), ...chatAccounts(20, 30)],
        },
      },
    });
    // Act
    const result = await runDetector(harvestSlice, logs);
    // Assess
    expect(firedFor(result, "reseller")).toEqual(["maxed_templated_slice", "slice_size_vs_median"]);
    const slice = signalOf(result, "reseller", "maxed_templated_slice");
    expect(slice?.value).toBeCloseTo(250 / 550, 3);
    expect(slice?.contribution).toBeLessThanOrEqual(0.25);
  });

  it("stays quiet on a platform of ordinary users with an SDK-default cap and on a single-purpose app", async () => {
    // Prepare
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            ...ordinary("platform", 600, 5, true),
            ...singlePurposeApp("app"),
            ...chatAccounts(20, 30),
          ],
        },
      },
    });
    // Act
    const result = await runDetector(harvestSlice, logs);
    // Assess
    expect(firedFor(result, "platform")).toEqual([]);
    expect(firedFor(result, "app")).toEqual([]);
  });

  it("leaves a slice below the floor unmeasured", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...ordinary("small", 40, 7), ...harvest("small", 30)] } },
    });
    // Act
    const result = await runDetector(harvestSlice, logs);
    // Assess
    expect(signalOf(result, "small", "maxed_templated_slice")).toBeUndefined();
  });
});
