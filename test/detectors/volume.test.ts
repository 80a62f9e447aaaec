import { describe, expect, it } from "vitest";
import { volume } from "../../lib/detectors/volume/volume.ts";
import { at, chatAccounts, detectorScore, runDetector, signalOf } from "../support/detect.ts";
import { account, request, writeLogs } from "../support/logs.ts";

/** `n` requests spread evenly over the test day. */
function heavy(accountId: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    request({ account_id: accountId, ts: at((i * 86_400) / n), output_tokens: 2_000, prompt: `task ${i}` }),
  );
}

describe("volume detector", () => {
  it("fires on a days-old account that goes straight to many times the median volume", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...chatAccounts(20, 30), ...heavy("fresh", 3_000)] } },
      accounts: [
        account({ account_id: "fresh", created_at: "2026-02-14T09:00:00.000Z", account_type: "startup" }),
      ],
    });
    // Act
    const result = await runDetector(volume, logs);
    // Assess
    expect(signalOf(result, "fresh", "requests_vs_median")?.fired).toBe(true);
    expect(signalOf(result, "fresh", "output_tokens_vs_median")?.fired).toBe(true);
    const ramp = signalOf(result, "fresh", "new_account_heavy_use");
    expect(ramp?.fired).toBe(true);
    expect(ramp?.explanation).toMatch(/^account was 1\.\d days old/);
  });

  it("weighs an established heavy customer on volume alone, below the medium cut-off", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...chatAccounts(20, 30), ...heavy("enterprise", 3_000)] } },
      accounts: [
        account({
          account_id: "enterprise",
          created_at: "2021-05-01T00:00:00.000Z",
          account_type: "enterprise",
        }),
      ],
    });
    // Act
    const result = await runDetector(volume, logs);
    // Assess
    expect(signalOf(result, "enterprise", "requests_vs_median")?.fired).toBe(true);
    expect(signalOf(result, "enterprise", "new_account_heavy_use")?.fired).toBe(false);
    expect(detectorScore(result, "enterprise")).toBeLessThan(0.45);
  });

  it("does not assess accounts below the volume floor", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": chatAccounts(20, 30) } } });
    // Act
    const result = await runDetector(volume, logs);
    // Assess
    expect(result.accountSignals).toEqual([]);
  });
});
