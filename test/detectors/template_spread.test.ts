import { describe, expect, it } from "vitest";
import { templateSpread } from "../../lib/detectors/template_spread/template_spread.ts";
import { chatAccounts, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

/** 150 ordinary accounts: people chatting in their own words. */
function population(): Record<string, unknown>[] {
  return chatAccounts(150, 5);
}

/** A fleet of 8 accounts sending the operator's two templates, filled from a data set. */
function fleet(): Record<string, unknown>[] {
  const frames = [
    (i: number) => `Solve the task below and show every step of your reasoning. Task: "Item ${i}"`,
    (i: number) => `You are given a problem and its final answer is "${i}". Reconstruct the full derivation.`,
  ];
  return Array.from({ length: 8 }, (_, a) =>
    Array.from({ length: 80 }, (_, i) =>
      request({ account_id: `fleet-${a}`, prompt: (frames[i % 2] as (i: number) => string)(a * 1000 + i) }),
    ),
  ).flat();
}

/** A feature most of the population uses (an SDK's translate helper), and one heavy user of it. */
function commonFeature(): Record<string, unknown>[] {
  const translate = (account: string, i: number) =>
    request({
      account_id: account,
      prompt: `Translate the following text into French: "text ${account} ${i}"`,
    });
  const users = Array.from({ length: 90 }, (_, a) =>
    Array.from({ length: 3 }, (_, i) => translate(`person-${a}`, i)),
  ).flat();
  const heavy = Array.from({ length: 100 }, (_, i) => translate("translator", i));
  return [...users, ...heavy];
}

/** Stock follow-ups that a few accounts send over and over: shared, but never filled with content. */
function stockPhrases(): Record<string, unknown>[] {
  return Array.from({ length: 6 }, (_, a) =>
    Array.from({ length: 60 }, (_, i) =>
      request({
        account_id: `polite-${a}`,
        prompt: i % 2 === 0 ? "Thanks, that helps a lot!" : "Can you make it shorter?",
      }),
    ),
  ).flat();
}

/**
 * Five developers who each open their prompts with the same 60 common phrasings, four times each:
 * every opening is shared, but none is more than a sliver of anyone's traffic.
 */
function commonOpenings(): Record<string, unknown>[] {
  return Array.from({ length: 5 }, (_, a) =>
    Array.from({ length: 240 }, (_, i) =>
      request({
        account_id: `dev-${a}`,
        prompt: `Opening phrase number ${["one", "two", "three", "four", "five", "six"][i % 6]} ${["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"][Math.floor(i / 6) % 10]}: "question ${a}-${i}"`,
      }),
    ),
  ).flat();
}

describe("template_spread detector", () => {
  it("fires on accounts that all send the same rare frames, naming the frame and its spread", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [...population(), ...fleet()] } } });
    // Act
    const result = await runDetector(templateSpread, logs);
    // Assess
    for (let a = 0; a < 8; a++) {
      const signal = signalOf(result, `fleet-${a}`, "shared_rare_template");
      expect(signal?.fired).toBe(true);
      expect(signal?.value).toBeGreaterThan(0.9);
    }
    expect(signalOf(result, "fleet-0", "shared_rare_template")?.explanation).toMatch(
      /^80 distinct prompts of 80 requests open with 2 frame\(s\) other accounts also send \(9\d(\.\d)?% rarity-weighted\); top [0-9a-f]{16} is used by 8 of 158 active accounts$/,
    );
  });

  it("ignores a frame most of the population sends, however much one account sends it", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...commonFeature()] } },
    });
    // Act
    const result = await runDetector(templateSpread, logs);
    // Assess
    expect(signalOf(result, "translator", "shared_rare_template")).toBeUndefined();
  });

  it("ignores stock phrases that accounts share but never fill with content", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...stockPhrases()] } },
    });
    // Act
    const result = await runDetector(templateSpread, logs);
    // Assess
    expect(signalOf(result, "polite-0", "shared_rare_template")).toBeUndefined();
  });

  it("does not count shared openings that each carry only a sliver of an account's traffic", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...population(), ...commonOpenings()] } },
    });
    // Act: with the default 2% per frame, and with 1% (each opening carries 1.7% of the traffic).
    const result = await runDetector(templateSpread, logs);
    const loose = await runDetector(templateSpread, logs, { min_frame_share: 0.01 });
    // Assess
    expect(signalOf(result, "dev-0", "shared_rare_template")).toBeUndefined();
    expect(signalOf(loose, "dev-0", "shared_rare_template")?.fired).toBe(true);
  });

  it("weighs a frame less as more of the population uses it", async () => {
    // Prepare: the same fleet in a population of 40 instead of 150 ordinary accounts.
    const small = [...chatAccounts(40, 5), ...fleet()];
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": small } } });
    // Act
    const result = await runDetector(templateSpread, logs);
    // Assess: 8 of 48 accounts (17%) is between the rare (5%) and common (30%) shares.
    const value = signalOf(result, "fleet-0", "shared_rare_template")?.value ?? 0;
    expect(value).toBeGreaterThan(0.2);
    expect(value).toBeLessThan(0.5);
  });
});
