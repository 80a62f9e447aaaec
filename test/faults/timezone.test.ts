import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { generateTraffic } from "../../lib/generate/index.ts";
import { request } from "../support/logs.ts";
import { removeAfter } from "./support.ts";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "..", "..", "bin", "distill-audit.js");

/** findings.json of a CLI audit run in a child process whose TZ is `tz`. */
async function findingsUnder(tz: string, logs: string, out: string): Promise<string> {
  // A child process: TZ is read once, when the process (and DuckDB's ICU) starts, so setting
  // process.env.TZ in this test process would prove nothing.
  await run(process.execPath, [CLI, "audit", "--logs", logs, "--out", out, "--threads", "2"], {
    env: { ...process.env, TZ: tz, NO_COLOR: "1" },
  });
  const reports = join(out, "reports");
  const [day] = readdirSync(reports);
  const [runDir] = readdirSync(join(reports, day as string));
  return readFileSync(join(reports, day as string, runDir as string, "findings.json"), "utf8");
}

describe("faults: the machine's time zone", () => {
  it("audits the same records and writes the same findings under any TZ", { timeout: 180_000 }, async () => {
    // Prepare: generated traffic, plus records whose offsets land near midnight and the window's
    // edges, where a reader in local time would move them to another day or out of the window.
    const root = mkdtempSync(join(tmpdir(), "distill-tz-"));
    removeAfter(root);
    const logs = join(root, "logs");
    await generateTraffic({ outDir: logs, requests: 4000, days: 2, seed: 5, format: "jsonl", workers: 0 });
    const edge = [
      request({ request_id: "edge-1", ts: "2026-02-16T00:30:00+00:30" }),
      // 00:05 of the next day in UTC: set aside as outside its partition, under every TZ
      request({ request_id: "edge-2", ts: "2026-02-16T23:50:00-00:15" }),
      request({ request_id: "edge-3", ts: "2026-02-17T08:59:59+09:00" }),
    ];
    writeFileSync(
      join(logs, "requests", "dt=2026-02-16", "edge.jsonl"),
      `${edge.map((r) => JSON.stringify(r)).join("\n")}\n`,
    );
    // Act
    const utc = await findingsUnder("UTC", logs, join(root, "utc"));
    const tokyo = await findingsUnder("Asia/Tokyo", logs, join(root, "tokyo"));
    const losAngeles = await findingsUnder("America/Los_Angeles", logs, join(root, "la"));
    // Assess
    const quality = JSON.parse(utc).data_quality;
    expect(quality.requests_read).toBe(4003);
    expect(quality.rejected).toEqual({ ts_outside_partition: 1 });
    expect(tokyo).toBe(utc);
    expect(losAngeles).toBe(utc);
  });
});
