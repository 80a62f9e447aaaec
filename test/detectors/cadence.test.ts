import { describe, expect, it } from "vitest";
import { cadence, hourOfDayEntropy } from "../../lib/detectors/cadence/cadence.ts";
import { at, chatAccounts, detectorScore, firedFor, prng, runDetector, signalOf } from "../support/detect.ts";
import { request, writeLogs } from "../support/logs.ts";

const DAY_SECONDS = 86_400;

/** A harvesting job: one request a minute, all day, with a few seconds of jitter. */
function pacedJob(account: string): Record<string, unknown>[] {
  const rnd = prng(7);
  return Array.from({ length: 1440 }, (_, i) =>
    request({ account_id: account, ts: at(i * 60 + rnd() * 6), prompt: `Task ${i}` }),
  );
}

/** An app serving people: up all day, random arrivals, busy in the afternoon and quiet at night. */
function diurnalApp(account: string): Record<string, unknown>[] {
  const rnd = prng(11);
  const out: Record<string, unknown>[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const rate = 6 + 110 * Math.max(0, Math.sin((Math.PI * (hour - 5)) / 17));
    let t = hour * 3600;
    for (;;) {
      t += -Math.log(1 - rnd()) * (3600 / rate);
      if (t >= (hour + 1) * 3600) break;
      out.push(request({ account_id: account, ts: at(t), prompt: "Summarise this ticket" }));
    }
  }
  return out;
}

/** A global enterprise: people in every time zone, each working in bursts of quick requests. */
function globalEnterprise(account: string): Record<string, unknown>[] {
  const rnd = prng(23);
  const out: Record<string, unknown>[] = [];
  for (let session = 0; session < 120; session++) {
    let t = rnd() * (DAY_SECONDS - 1800);
    const length = 2 + Math.floor(rnd() * 8);
    for (let i = 0; i < length; i++) {
      out.push(request({ account_id: account, ts: at(t), prompt: "Draft a reply" }));
      t += 5 + rnd() * 90;
    }
  }
  return out;
}

describe("cadence detector", () => {
  it("fires on a job that runs around the clock at a steady pace, yet stays below medium alone", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...pacedJob("job"), ...chatAccounts(20, 30)] } },
    });
    // Act
    const result = await runDetector(cadence, logs);
    // Assess
    expect(firedFor(result, "job")).toEqual(["around_the_clock", "regular_gaps"]);
    expect(signalOf(result, "job", "around_the_clock")?.value).toBeGreaterThan(0.99);
    expect(signalOf(result, "job", "regular_gaps")?.value).toBeLessThan(0.2);
    expect(detectorScore(result, "job")).toBeGreaterThan(0.15);
    expect(detectorScore(result, "job")).toBeLessThan(0.25);
  });

  it("stays quiet on the timing of an app that serves people 24/7 with their daily rhythm", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": diurnalApp("app") } } });
    // Act
    const result = await runDetector(cadence, logs);
    // Assess
    expect(signalOf(result, "app", "around_the_clock")?.explanation).toMatch(/^active 24\.0 of 24 hours/);
    expect(firedFor(result, "app")).toEqual([]);
  });

  it("keeps a global enterprise to the around-the-clock signal at most: its people work in bursts", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": globalEnterprise("corp") } } });
    // Act
    const result = await runDetector(cadence, logs);
    // Assess
    expect(signalOf(result, "corp", "regular_gaps")?.fired).toBe(false);
    expect(signalOf(result, "corp", "regular_gaps")?.value).toBeGreaterThan(1);
    expect(detectorScore(result, "corp")).toBeLessThanOrEqual(0.1);
  });

  it("measures each account's gaps in its own stream, not in the merged traffic", async () => {
    // Prepare: a steady job next to a busy app; merged, the job's requests would sit between the app's
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [...pacedJob("job"), ...diurnalApp("app")] } },
    });
    // Act
    const result = await runDetector(cadence, logs);
    // Assess
    expect(signalOf(result, "job", "regular_gaps")?.fired).toBe(true);
    expect(signalOf(result, "job", "regular_gaps")?.value).toBeLessThan(0.2);
    expect(signalOf(result, "app", "regular_gaps")?.fired).toBe(false);
  });

  it("does not judge accounts below the volume floor", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": pacedJob("job").slice(0, 150) } } });
    // Act
    const result = await runDetector(cadence, logs);
    // Assess
    expect(result.accountSignals).toEqual([]);
  });
});

describe("hour-of-day entropy", () => {
  it("is 1 for a flat day and low for traffic in a few hours", () => {
    // Prepare: 24 hours of 100 requests each (Σ c ln c = 24 · 100 ln 100), and 4 hours of 600.
    const flat = hourOfDayEntropy(2400, 24 * 100 * Math.log(100), 24);
    const narrow = hourOfDayEntropy(2400, 4 * 600 * Math.log(600), 4);
    // Assess
    expect(flat).toBeCloseTo(1, 2);
    expect(narrow).toBeLessThan(0.45);
  });
});
