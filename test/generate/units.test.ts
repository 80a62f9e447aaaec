/** Building blocks and edge cases: PRNG, apportioning, timestamps, short windows, the stealthy mix. */
import { afterAll, describe, expect, it } from "vitest";
import { NEW_MODEL_ID } from "../../lib/generate/core.ts";
import { apportion } from "../../lib/generate/engine.ts";
import { generateTraffic, readLabels } from "../../lib/generate/index.ts";
import { Rng } from "../../lib/generate/rng.ts";
import { isoMs, makeWindow, TsFormatter } from "../../lib/generate/time.ts";
import { readRequests, removeDir, tempDir } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

describe("Rng", () => {
  it("is reproducible per (seed, label) and differs across labels", () => {
    const a = new Rng(1, "x");
    const b = new Rng(1, "x");
    const c = new Rng(1, "y");

    const sa = Array.from({ length: 5 }, () => a.u32());
    const sb = Array.from({ length: 5 }, () => b.u32());
    const sc = Array.from({ length: 5 }, () => c.u32());

    expect(sb).toEqual(sa);
    expect(sc).not.toEqual(sa);
  });

  it("makes ids of the requested length and alphabet", () => {
    const r = new Rng(3, "ids");
    for (const n of [1, 5, 6, 16, 24]) expect(r.id(n)).toMatch(new RegExp(`^[0-9a-z]{${n}}$`));
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("apportion", () => {
  it("rounds weights to integers that sum exactly to the total", () => {
    const w = Float64Array.from([0.3, 0, 2.2, 1.1, 0.05]);
    const out = apportion(w, 1001);
    expect(out.reduce((s, x) => s + x, 0)).toBe(1001);
    expect(out[1]).toBe(0);
  });
});

describe("timestamps", () => {
  it("TsFormatter matches toISOString across hours and days", () => {
    const f = new TsFormatter();
    const r = new Rng(5, "ts");
    const start = Date.parse("2026-02-27T22:00:00.000Z");
    for (let i = 0; i < 2000; i++) {
      const t = start + Math.floor(r.next() * 3 * 3_600_000);
      expect(f.format(t)).toBe(isoMs(t));
    }
  });

  it("puts the release at 17:00 UTC on a middle day, never on the first, and none under 3 days", () => {
    expect(isoMs(makeWindow("2026-02-16", 14).releaseMs ?? 0)).toBe("2026-02-23T17:00:00.000Z");
    expect(isoMs(makeWindow("2026-02-16", 3).releaseMs ?? 0)).toBe("2026-02-17T17:00:00.000Z");
    expect(makeWindow("2026-02-16", 2).releaseMs).toBeNull();
  });
});

describe("short window", () => {
  it("with fewer than 3 days nobody uses the new model and the summary says so", async () => {
    const dir = tempDir("short");
    dirs.push(dir);

    const s = await generateTraffic({ outDir: dir, requests: 3_000, days: 2, seed: 1, format: "jsonl" });
    const logs = readRequests(dir);

    expect(s.newModel).toEqual({ id: NEW_MODEL_ID, releasedAt: "2026-02-18T00:00:00.000Z", released: false });
    expect(logs.filter((r) => r.rec.model === NEW_MODEL_ID)).toHaveLength(0);
    expect(logs).toHaveLength(3_000);
  }, 30_000);
});

describe("stealthy mix", () => {
  it("campaigns are 5-10 % of traffic, with lower volume per account than baseline", async () => {
    const dirS = tempDir("stealthy");
    const dirB = tempDir("baseline");
    dirs.push(dirS, dirB);

    const s = await generateTraffic({
      outDir: dirS,
      requests: 20_000,
      days: 7,
      seed: 5,
      format: "jsonl",
      mix: "stealthy",
    });
    await generateTraffic({
      outDir: dirB,
      requests: 20_000,
      days: 7,
      seed: 5,
      format: "jsonl",
      mix: "baseline",
    });
    const perAccount = async (labelsPath: string, campaign: string) => {
      const ls = [...(await readLabels(labelsPath)).values()].filter(
        (l) => l.campaign === campaign && l.requests > 0,
      );
      return ls.reduce((a, l) => a + l.requests, 0) / ls.length;
    };
    const labels = [...(await readLabels(s.labelsPath)).values()];
    const share =
      labels.filter((l) => l.kind === "campaign").reduce((a, l) => a + l.requests, 0) / s.requests;

    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.1);
    expect(await perAccount(s.labelsPath, "hydra-agentic")).toBeLessThan(
      await perAccount(`${dirB}/labels.jsonl`, "hydra-agentic"),
    );
  }, 60_000);
});
