import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAudit } from "../../lib/audit.ts";
import { parseConfig } from "../../lib/config/config.ts";
import { DuckDbEngine, withLineIdentity } from "../../lib/engine/duckdb/engine.ts";
import { DAY } from "../support/logs.ts";
import { expectCountsAddUp, logRoot, removeAfter } from "./support.ts";

interface Quarantined {
  reason: string;
  source_file: string;
  line_number: number;
  line: string;
}

/** Audits `logs` on DuckDB, writes the quarantine, and returns its records and the data quality. */
async function quarantined(logs: string) {
  const dir = mkdtempSync(join(tmpdir(), "distill-quarantine-"));
  removeAfter(dir);
  const engine = await DuckDbEngine.open({ logsDir: logs, threads: 2 });
  try {
    const outcome = await runAudit(engine, {
      window: DAY,
      schedule: "faults",
      config: parseConfig({}),
      codeVersion: "test",
    });
    const path = join(dir, "rejected.jsonl");
    const count = await engine.quarantine(path);
    const text = readFileSync(path, "utf8");
    const records = text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Quarantined);
    const quality = outcome.document.data_quality;
    expectCountsAddUp(quality);
    expect(count).toBe(records.length);
    return { records, quality };
  } finally {
    await engine.close();
  }
}

// Raw lines written as given: odd spacing and key order prove the quarantine holds the original
// text, not a re-serialised record.
const ok = (id: string) =>
  `{"request_id":"${id}","ts":"2026-02-16T10:00:00Z","account_id":"a","model":"m","input_tokens":1,"output_tokens":2,"prompt":"hi"}`;
const missingPrompt = `{ "ts" : "2026-02-16T10:00:00Z", "request_id": "no-prompt", "account_id":"a","model":"m","input_tokens":1,"output_tokens":2}`;
const negative = `{"request_id":"neg","ts":"2026-02-16T10:00:00Z","account_id":"a","model":"m","input_tokens":-5,"output_tokens":2,"prompt":"hi",  "extra":true}`;
const outside = `{"request_id":"late","ts":"2026-02-17T00:00:00Z","account_id":"a","model":"m","input_tokens":1,"output_tokens":2,"prompt":"hi"}`;
// The same id twice in a day: the later one (by time) is the duplicate.
const dupFirst = `{"request_id":"dup","ts":"2026-02-16T09:00:00Z","account_id":"a","model":"m","input_tokens":1,"output_tokens":2,"prompt":"first"}`;
const dupLater = `{"request_id":"dup","ts":"2026-02-16T11:00:00Z","account_id":"a","model":"m","input_tokens":1,"output_tokens":2,"prompt":"later"}`;

describe("faults: quarantine", () => {
  it("holds each feature-stage reject as its original line, with its file and line number", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [ok("a1"), "", missingPrompt, negative, dupLater],
          "b.jsonl.gz": [ok("b1"), outside, dupFirst],
        },
        "2026-02-15": { "c.jsonl": [ok("c1")] },
      },
    });
    // Act
    const { records, quality } = await quarantined(logs);
    // Assess
    expect(quality.rejected).toEqual({
      missing_prompt: 1,
      negative_tokens: 1,
      ts_outside_partition: 1,
      duplicate_request_id: 1,
    });
    expect(records).toEqual([
      {
        reason: "missing_prompt",
        source_file: "requests/dt=2026-02-16/a.jsonl",
        line_number: 3,
        line: missingPrompt,
      },
      {
        reason: "negative_tokens",
        source_file: "requests/dt=2026-02-16/a.jsonl",
        line_number: 4,
        line: negative,
      },
      {
        reason: "duplicate_request_id",
        source_file: "requests/dt=2026-02-16/a.jsonl",
        line_number: 5,
        line: dupLater,
      },
      {
        reason: "ts_outside_partition",
        source_file: "requests/dt=2026-02-16/b.jsonl.gz",
        line_number: 2,
        line: outside,
      },
    ]);
  });

  it("keeps reader rejects with their line number, beside feature-stage rejects of other files", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [ok("a1"), "{not json", `{"request_id":"t","input_tokens":1.5}`, ok("a2")],
          "b.jsonl": [ok("b1"), missingPrompt],
        },
      },
    });
    // Act
    const { records, quality } = await quarantined(logs);
    // Assess
    expect(quality.rejected).toEqual({ malformed_json: 1, wrong_type: 1, missing_prompt: 1 });
    expect(records.map((r) => [r.reason, r.source_file, r.line_number, r.line])).toEqual([
      ["malformed_json", "requests/dt=2026-02-16/a.jsonl", 2, "{not json"],
      [
        "wrong_type:input_tokens",
        "requests/dt=2026-02-16/a.jsonl",
        3,
        `{"request_id":"t","input_tokens":1.5}`,
      ],
      ["missing_prompt", "requests/dt=2026-02-16/b.jsonl", 2, missingPrompt],
    ]);
  });

  it("numbers lines after CRLF breaks and blank lines as an editor does", async () => {
    // Prepare
    const logs = logRoot({
      requests: { "2026-02-16": { "a.jsonl": [`${ok("a1")}\r\n   \r\n${negative}\r`] } },
    });
    // Act
    const { records } = await quarantined(logs);
    // Assess
    expect(records).toEqual([
      {
        reason: "negative_tokens",
        source_file: "requests/dt=2026-02-16/a.jsonl",
        line_number: 3,
        line: negative,
      },
    ]);
  });

  it("refuses a features.sql whose shape the quarantine cannot extend", () => {
    expect(() => withLineIdentity("SELECT 1 FROM requests r\n")).toThrow(/exactly one/);
  });
});
