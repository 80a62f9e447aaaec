import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAudit } from "../lib/audit.ts";
import { parseConfig } from "../lib/config/config.ts";
import { DuckDbEngine } from "../lib/engine/duckdb/engine.ts";
import { generateTraffic } from "../lib/generate/index.ts";

async function auditOnce(logsDir: string, featureChunkRows?: number): Promise<string> {
  const engine = await DuckDbEngine.open({
    logsDir,
    threads: 2,
    ...(featureChunkRows ? { featureChunkRows } : {}),
  });
  try {
    const window = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-19T00:00:00Z") };
    const outcome = await runAudit(engine, {
      window,
      schedule: "test",
      config: parseConfig({}),
      codeVersion: "test",
    });
    return JSON.stringify(outcome.document);
  } finally {
    await engine.close();
  }
}

describe("the audit pipeline", () => {
  const logsDir = mkdtempSync(join(tmpdir(), "distill-repro-"));
  // enough traffic for ties in every aggregate, read by parallel DuckDB threads
  const generated = generateTraffic({
    outDir: logsDir,
    requests: 40_000,
    days: 3,
    seed: 9,
    format: "parquet",
  });

  it("reproduces the findings document byte for byte when a window is audited again", async () => {
    // Prepare
    await generated;
    // Act
    const first = await auditOnce(logsDir);
    const second = await auditOnce(logsDir);
    // Assess
    expect(JSON.parse(first).findings.length).toBeGreaterThan(0);
    expect(second).toBe(first);
  }, 120_000);

  it("finds the same when the feature stage is built a day at a time, compressed between days", async () => {
    // Prepare
    await generated;
    // Act
    const whole = await auditOnce(logsDir);
    const daily = await auditOnce(logsDir, 1);
    // Assess
    expect(daily).toBe(whole);
  }, 120_000);
});
