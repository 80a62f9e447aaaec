import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../lib/cli/main.ts";
import { request, writeLogs } from "./support/logs.ts";
import { captureStderr } from "./support/output.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the command line: exit codes and messages that say what to do", () => {
  it("audits a log folder and exits 0", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [request(), request()] } } });
    const out = mkdtempSync(join(tmpdir(), "distill-cli-"));
    captureStderr();
    // Act
    const code = await main(["node", "distill-audit", "audit", "--logs", logs, "--out", out]);
    // Assess
    expect(code).toBe(0);
    expect(existsSync(join(out, "reports"))).toBe(true);
    expect(readdirSync(join(out, "reports")).length).toBeGreaterThan(0);
  });

  it("refuses a window bound that is not a whole UTC hour, with exit code 2 and an example", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [request()] } } });
    const stderr = captureStderr();
    // Act
    const code = await main([
      "node",
      "distill-audit",
      "audit",
      "--logs",
      logs,
      "--from",
      "2026-02-16T10:30:00Z",
    ]);
    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain("expected a whole UTC hour, e.g. 2026-02-16T10:00:00Z");
  });

  it("reports a missing log folder as bad input, exit code 3", async () => {
    // Prepare
    const stderr = captureStderr();
    // Act
    const code = await main(["node", "distill-audit", "audit", "--logs", join(tmpdir(), "no-such-logs-dir")]);
    // Assess
    expect(code).toBe(3);
    expect(stderr()).toMatch(/no-such-logs-dir/);
  });
});
