import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorMessage, errorReport, main, memorySize } from "../lib/cli/main.ts";
import { request, writeLogs } from "./support/logs.ts";
import { captureStderr } from "./support/output.ts";

const created: string[] = [];

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

function logs(lines = [request(), request()]): string {
  const root = writeLogs({ requests: { "2026-02-16": { "a.jsonl": lines } } });
  created.push(root);
  return root;
}

/** Runs `distill-audit audit` with these arguments, as the CLI's entry point does. */
function audit(args: readonly string[]): Promise<number> {
  return main(["node", "distill-audit", "audit", ...args]);
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("audit limits: memory and window", () => {
  it("audits JSON Lines within a 256MB memory limit", async () => {
    // prepare: a few MB of lines, enough that DuckDB's default CSV buffer (16 x the line limit,
    // 256 MiB) would be allocated, and fail, before the reader's buffer was set
    const root = logs(
      Array.from({ length: 3000 }, (_, i) => request({ prompt: `${"lorem ipsum ".repeat(90)}${i}` })),
    );
    const out = temp("distill-limit-");
    captureStderr();

    // act
    const code = await audit(["--logs", root, "--out", out, "--memory-limit", "256MB"]);

    // assess
    expect(code).toBe(0);
  });

  it("refuses sizes that are not sizes or are below the minimum, with exit code 2", async () => {
    // prepare
    const root = logs();

    for (const [size, message] of [
      ["lots", "expected a size with a unit"],
      ["0", "expected a size with a unit"],
      ["0GB", "at least 256MB"],
      ["100MB", "at least 256MB"],
    ] as const) {
      const stderr = captureStderr();
      // act
      const code = await audit(["--logs", root, "--memory-limit", size]);
      // assess
      expect(code, size).toBe(2);
      expect(stderr(), size).toContain(message);
      vi.restoreAllMocks();
    }
  });

  it("passes DuckDB the size in bytes, whatever the spelling of the unit", () => {
    expect(memorySize("2GB")).toBe("2000000000B");
    expect(memorySize("1 GiB")).toBe(`${2 ** 30}B`);
    expect(memorySize("0.5gb")).toBe("500000000B");
  });

  it("refuses an empty or inverted window with exit code 2, before reading anything", async () => {
    // prepare
    const root = logs();
    const out = join(temp("distill-window-"), "out");

    for (const [from, to, message] of [
      ["2026-02-16T10:00:00Z", "2026-02-16T10:00:00Z", "empty window"],
      ["2026-02-17T00:00:00Z", "2026-02-16T00:00:00Z", "inverted window"],
    ] as const) {
      const stderr = captureStderr();
      // act
      const code = await audit(["--logs", root, "--out", out, "--from", from, "--to", to]);
      // assess
      expect(code).toBe(2);
      expect(stderr()).toContain(message);
      vi.restoreAllMocks();
    }
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a --from after the end of the data with exit code 2", async () => {
    // prepare
    const root = logs();
    const stderr = captureStderr();

    // act
    const code = await audit(["--logs", root, "--out", temp("distill-window-"), "--from", "2026-03-01"]);

    // assess
    expect(code).toBe(2);
    expect(stderr()).toContain("inverted window: the end of the data");
  });
});

describe("audit hygiene", () => {
  it("refuses a schedule name that is not a plain word before anything runs", async () => {
    // prepare
    const root = logs();
    const base = temp("distill-schedule-");

    for (const schedule of ["../../x", "a/b c", "", "x".repeat(65)]) {
      const stderr = captureStderr();
      const out = join(base, "out");
      // act
      const code = await audit([
        "--logs",
        root,
        "--out",
        out,
        "--quarantine",
        join(base, "q"),
        "--schedule",
        schedule,
      ]);
      // assess
      expect(code, schedule).toBe(2);
      expect(stderr()).toContain("letters, digits, '_' or '-'");
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(base, "q"))).toBe(false);
      vi.restoreAllMocks();
    }
  });

  it("accepts a configuration file that starts with a UTF-8 byte order mark", async () => {
    // prepare
    const root = logs();
    const dir = temp("distill-bom-");
    const config = join(dir, "config.json");
    writeFileSync(config, `\uFEFF${JSON.stringify({ alerts: { min_severity: "high" } })}`, "utf8");
    const stderr = captureStderr();

    // act
    const code = await audit(["--logs", root, "--out", join(dir, "out"), "--config", config]);

    // assess
    expect(code, stderr()).toBe(0);
  });

  it("quotes no raw input in an error: escapes dropped, each line cut short", () => {
    // prepare: what a parser's message quoting a hostile log line looks like
    const line = `{"prompt":"\u001b]0;owned\u0007\u001b[2J${"A".repeat(10_000)}"}`;
    const error = new Error(`Conversion Error: could not parse ${line}`);

    // act
    const message = errorMessage(error);
    const report = errorReport(error);

    // assess
    expect(message.includes("\u001b") || message.includes("\u0007")).toBe(false);
    expect(message.length).toBeLessThan(500);
    expect(report).not.toContain("A".repeat(300));
    expect(report).toContain("cli-limits.test.ts");
    expect(report.split("\n")[0]).toMatch(/^Error: Conversion Error: could not parse/);
  });
});
