import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { request } from "../support/logs.ts";
import { auditLogs, logRoot } from "./support.ts";

const DAY_DIR = ["requests", "dt=2026-02-16"];

/** Writes a Parquet file from a DuckDB SELECT (the column types are the SELECT's). */
async function parquet(path: string, select: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const GOOD_COLUMNS =
  "'2026-02-16 10:00:00'::TIMESTAMP AS ts, 'acct-a' AS account_id, 'orion-2' AS model, 'hi' AS prompt, 10::BIGINT AS input_tokens, 20::BIGINT AS output_tokens";

describe("faults: types and ranges", () => {
  it("rejects fractional, negative and out-of-range token counts in JSON Lines, never crashing", async () => {
    // Prepare
    const logs = logRoot({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request({ request_id: "ok" }),
            request({ request_id: "frac", input_tokens: 1.5 }),
            request({ request_id: "neg-max", max_tokens: -1 }),
            '{"request_id":"big","ts":"2026-02-16T10:00:00Z","account_id":"acct-a","model":"orion-2","input_tokens":9007199254740992,"output_tokens":1,"prompt":"p"}',
            '{"request_id":"huge","ts":"2026-02-16T10:00:00Z","account_id":"acct-a","model":"orion-2","input_tokens":18446744073709551615,"output_tokens":1,"prompt":"p"}',
            '{"request_id":"float-big","ts":"2026-02-16T10:00:00Z","account_id":"acct-a","model":"orion-2","input_tokens":1e20,"output_tokens":1,"prompt":"p"}',
            request({ request_id: "safe-max", output_tokens: 9007199254740991 }),
          ],
        },
      },
    });
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["ok", "safe-max"]);
    expect(quality.rejected).toEqual({ wrong_type: 1, negative_tokens: 1, out_of_range: 3 });
    expect(quality.requests_read).toBe(7);
  });

  it("rejects Parquet columns of the wrong type and values out of range by reason, per file", async () => {
    // Prepare: a good file, one whose ts is BIGINT (epoch seconds), one whose tokens are DOUBLE,
    // one with a UBIGINT count beyond the safe range, one that is no Parquet at all.
    const logs = logRoot({ requests: {} });
    const dir = join(logs, ...DAY_DIR);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    await parquet(join(dir, "good.parquet"), `SELECT 'p1' AS request_id, ${GOOD_COLUMNS}`);
    await parquet(
      join(dir, "bigint-ts.parquet"),
      "SELECT 'b1' AS request_id, 1771236000::BIGINT AS ts, 'acct-a' AS account_id, 'orion-2' AS model, 'hi' AS prompt, 10::BIGINT AS input_tokens, 20::BIGINT AS output_tokens",
    );
    await parquet(
      join(dir, "double-tokens.parquet"),
      "SELECT 'd' || i AS request_id, '2026-02-16 10:00:00'::TIMESTAMP AS ts, 'acct-a' AS account_id, 'orion-2' AS model, 'hi' AS prompt, 1.5::DOUBLE AS input_tokens, 20::BIGINT AS output_tokens FROM range(2) t(i)",
    );
    await parquet(
      join(dir, "ubigint.parquet"),
      "SELECT * FROM (VALUES ('u1', '2026-02-16 10:00:00'::TIMESTAMP, 'acct-a', 'orion-2', 'hi', 18446744073709551615::UBIGINT, 1::UBIGINT), ('u2', '2026-02-16 10:00:00'::TIMESTAMP, 'acct-a', 'orion-2', 'hi', 5::UBIGINT, 1::UBIGINT)) v(request_id, ts, account_id, model, prompt, input_tokens, output_tokens)",
    );
    writeFileSync(join(dir, "empty.parquet"), "");
    writeFileSync(join(dir, "text.parquet"), "not a parquet file at all, just text\n");
    // Act
    const { quality, audited } = await auditLogs(logs);
    // Assess
    expect(audited).toEqual(["p1", "u2"]);
    expect(quality.rejected).toEqual({ wrong_type: 3, out_of_range: 1 });
    expect(quality.unreadable_files).toEqual([
      { file: "requests/dt=2026-02-16/empty.parquet", reason: "empty_file" },
      { file: "requests/dt=2026-02-16/text.parquet", reason: "not_parquet" },
    ]);
    expect(quality.files_read).toBe(4);
    expect(quality.requests_read).toBe(6);
  });
});
