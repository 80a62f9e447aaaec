import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { runAudit } from "../../lib/audit.ts";
import { parseConfig } from "../../lib/config/config.ts";
import { compactionSql } from "../../lib/engine/athena/features.ts";
import { DuckDbEngine, type DuckDbOptions, dayChunks } from "../../lib/engine/duckdb/engine.ts";
import { fileSizes, InputError } from "../../lib/engine/duckdb/sources.ts";
import { windowParams } from "../../lib/engine/port.ts";
import { positionalValues, sqlQuery } from "../../lib/sql/catalog.ts";
import { DAY, request, writeLogs } from "../support/logs.ts";

const engines: DuckDbEngine[] = [];
async function open(logsDir: string, options: Partial<DuckDbOptions> = {}): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open({ logsDir, threads: 2, ...options });
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function audit(logsDir: string) {
  const engine = await open(logsDir);
  const outcome = await runAudit(engine, {
    window: DAY,
    schedule: "test",
    config: parseConfig({}),
    codeVersion: "test",
  });
  return { engine, quality: outcome.document.data_quality };
}

describe("DuckDB engine: bad input is counted and set aside, never dropped", () => {
  it("counts each reason and audits the good records", async () => {
    // Prepare
    const dup = request({ request_id: "dup-1" });
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request(),
            request(),
            "{not json",
            "[1, 2, 3]",
            request({ account_id: undefined }),
            request({ prompt: null }),
            request({ input_tokens: "many" }),
            request({ temperature: "hot" }),
            request({ input_tokens: 1.5 }),
            request({ ts: "yesterday-ish" }),
            request({ output_tokens: -5 }),
            dup,
            dup,
            "",
          ],
        },
      },
      emptyDays: ["2026-02-15"],
    });
    // Act
    const { quality } = await audit(logs);
    // Assess
    expect(quality.requests_accepted).toBe(3);
    expect(quality.rejected).toEqual({
      malformed_json: 2,
      missing_account_id: 1,
      missing_prompt: 1,
      wrong_type: 3,
      invalid_timestamp: 1,
      negative_tokens: 1,
      duplicate_request_id: 1,
    });
    expect(quality.requests_read).toBe(13);
  });

  it("reads a line whose JSON escapes a backslash before a zero as one record, whole", async () => {
    // Prepare: C code with a NUL terminator, as a prompt carries it: the characters \ and 0.
    const code = "char buf[8]; buf[7] = '\\0'; /* terminate */ return buf;";
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [request({ prompt: code }), request()] } },
    });
    // Act
    const { engine, quality } = await audit(logs);
    // Assess
    expect(quality.rejected).toEqual({});
    expect(quality.requests_accepted).toBe(2);
    const rows = await engine.rows("SELECT max(prompt_chars) AS chars FROM request_features");
    expect(Number(rows[0]?.chars)).toBe(code.length);
  });

  it("reports an empty partition inside the window", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-17": { "a.jsonl": [request({ ts: "2026-02-17T01:00:00Z" })] } },
      emptyDays: ["2026-02-16"],
    });
    // Act
    const { quality } = await audit(logs);
    // Assess
    expect(quality.skipped_files).toEqual([{ file: "requests/dt=2026-02-16/", reason: "empty_partition" }]);
    expect(quality.rejected).toEqual({});
    expect(quality.requests_accepted).toBe(0);
  });

  it("audits the lines before the cut of a truncated gzip file and reports the file", async () => {
    // Prepare
    const lines = Array.from({ length: 3000 }, () =>
      JSON.stringify(request({ prompt: "x".repeat(40) + Math.random() })),
    );
    const logs = writeLogs({ requests: { "2026-02-16": { "ok.jsonl": [request()] } } });
    const gz = gzipSync(`${lines.join("\n")}\n`);
    writeFileSync(
      join(logs, "requests", "dt=2026-02-16", "cut.jsonl.gz"),
      gz.subarray(0, Math.floor(gz.length / 2)),
    );
    // Act
    const { quality } = await audit(logs);
    // Assess
    expect(quality.unreadable_files).toEqual([
      { file: "requests/dt=2026-02-16/cut.jsonl.gz", reason: "truncated_gzip" },
    ]);
    expect(quality.files_read).toBe(2);
    expect(quality.requests_accepted).toBeGreaterThan(100);
    expect(quality.requests_accepted).toBeLessThan(3001);
  });

  it("writes every rejected record to the quarantine with its reason", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl": [request(), "{oops", request({ output_tokens: -1 })] } },
    });
    const { engine } = await audit(logs);
    const path = join(logs, "quarantine.jsonl");
    // Act
    const count = await engine.quarantine(path);
    // Assess
    const records = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(count).toBe(2);
    expect(records.map((r) => r.reason).sort()).toEqual(["malformed_json", "negative_tokens"]);
    expect(records.find((r) => r.reason === "malformed_json").line).toBe("{oops");
  });
});

describe("DuckDB engine: sources and windows", () => {
  it("fails clearly on a missing log directory", async () => {
    await expect(DuckDbEngine.open({ logsDir: "/nonexistent/logs" })).rejects.toThrow(InputError);
  });

  it("fails clearly on a directory without request files", async () => {
    const logs = writeLogs({ requests: {}, emptyDays: ["2026-02-16"] });
    await expect(DuckDbEngine.open({ logsDir: logs })).rejects.toThrow(/no request files/);
  });

  it("reads only the partitions of the window (pruning) and only the window's rows", async () => {
    // Prepare
    const logs = writeLogs({
      requests: {
        "2026-02-15": { "a.jsonl": [request({ ts: "2026-02-15T23:00:00Z" })] },
        "2026-02-16": {
          "a.jsonl": [request({ ts: "2026-02-16T05:00:00Z" }), request({ ts: "2026-02-16T07:00:00Z" })],
        },
        "2026-02-17": { "a.jsonl": [request({ ts: "2026-02-17T01:00:00Z" })] },
      },
    });
    const engine = await open(logs);
    // Act
    const prepared = await engine.prepare({ start: new Date("2026-02-16T06:00:00Z"), end: DAY.end });
    // Assess
    expect(prepared.filesRead).toBe(1);
    // The 05:00 row of the scanned partition is kept (data quality counts it outside the window);
    // detectors select the window on hour_bucket.
    const rows = await engine.rows(
      "SELECT count(*) AS n FROM request_features WHERE reject_reason IS NULL AND hour_bucket >= TIMESTAMP '2026-02-16 06:00:00'",
    );
    expect(rows[0]?.n).toBe(1);
    const all = await engine.rows("SELECT count(*) AS n FROM request_features WHERE reject_reason IS NULL");
    expect(all[0]?.n).toBe(2);
  });

  it("reads gzip JSON Lines and Parquet with pinned types, missing optional columns as NULL", async () => {
    // Prepare
    const logs = writeLogs({
      requests: { "2026-02-16": { "a.jsonl.gz": [request({ source_ip: "10.1.2.3", tools: 3 })] } },
    });
    const partition = join(logs, "requests", "dt=2026-02-16");
    const gzip = await open(logs);
    await gzip.prepare(DAY);
    const fromGzip = await gzip.rows("SELECT client_network, tools FROM request_features");
    // Parquet as another writer might produce it: timestamps as text, optional columns left out.
    await gzip.rows(
      `COPY (SELECT * EXCLUDE (source_ip, tools) FROM read_json('${partition}/a.jsonl.gz', format = 'newline_delimited', columns = {request_id: 'VARCHAR', ts: 'VARCHAR', account_id: 'VARCHAR', model: 'VARCHAR', prompt: 'VARCHAR', input_tokens: 'INTEGER', output_tokens: 'INTEGER', source_ip: 'VARCHAR', tools: 'INTEGER'})) TO '${partition}/b.parquet' (FORMAT parquet)`,
    );
    rmSync(join(partition, "a.jsonl.gz"));
    const parquet = await open(logs);
    // Act
    await parquet.prepare(DAY);
    const rows = await parquet.rows(
      "SELECT typeof(ts) AS ts_type, typeof(input_tokens) AS tokens_type, source_ip, tools FROM requests",
    );
    // Assess
    expect(fromGzip).toEqual([{ client_network: "10.1.2.0/24", tools: 3 }]);
    expect(rows).toEqual([{ ts_type: "TIMESTAMP", tokens_type: "BIGINT", source_ip: null, tools: null }]);
  });
});

describe("feature stage", () => {
  it("derives networks (none from a malformed address), flags, capability and a skeleton shared by filled-in templates", async () => {
    // Prepare
    const template = (n: number, q: string) =>
      `Here is a problem and its final answer is ${n}. Explain step by step the reasoning behind "${q}" for Alice Smith.`;
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            request({
              request_id: "t1",
              prompt: template(42, "why the sky is blue"),
              source_ip: "203.0.113.77",
            }),
            request({
              request_id: "t2",
              prompt: template(7, "how tides work"),
              source_ip: "2001:db8:1:2::9",
            }),
            request({
              request_id: "c1",
              prompt: "Refactor this python function to remove the bug",
              tools: 12,
            }),
            request({ request_id: "g1", prompt: "Grade the following response against this rubric: ..." }),
            request({ request_id: "x1", source_ip: "unknown" }),
            request({ request_id: "x2", source_ip: "10.0.0" }),
          ],
        },
      },
    });
    const engine = await open(logs);
    // Act
    await engine.prepare(DAY);
    const rows = await engine.rows(
      "SELECT request_id, client_network, asks_reasoning, asks_reconstruction, asks_grading, capability, CAST(skeleton_hash AS VARCHAR) AS skeleton FROM request_features ORDER BY request_id",
      [],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.request_id, r]));
    // Assess
    expect(byId.t1?.client_network).toBe("203.0.113.0/24");
    expect(byId.t2?.client_network).toBe("2001:db8:1::/48");
    // Not an address: no network (as on Athena, where regexp_extract yields NULL, not '')
    expect(byId.x1?.client_network).toBeNull();
    expect(byId.x2?.client_network).toBeNull();
    expect(byId.t1?.asks_reasoning).toBe(true);
    expect(byId.t1?.asks_reconstruction).toBe(true);
    expect(byId.t1?.skeleton).toBe(byId.t2?.skeleton);
    expect(byId.c1?.capability).toBe("agentic");
    expect(byId.g1?.asks_grading).toBe(true);
    expect(byId.g1?.asks_reasoning).toBe(false);
  });

  it("binds window parameters for partition pruning", () => {
    expect(windowParams(DAY)).toMatchObject({ dt_start: "2026-02-16", dt_end: "2026-02-16" });
  });

  it("refuses a window that does not start and end on whole hours (queries select on hour_bucket)", () => {
    const halfPast = { start: new Date("2026-02-16T10:30:00Z"), end: DAY.end };
    expect(() => windowParams(halfPast)).toThrow(/whole UTC hours/);
  });
});

describe("feature stage in chunks of days", () => {
  const THREE_DAYS = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-19T00:00:00Z") };

  it("groups consecutive days up to the budget; a larger day is a chunk of its own", () => {
    // Prepare
    const days = [
      { day: "2026-02-16", size: 3 },
      { day: "2026-02-17", size: 4 },
      { day: "2026-02-18", size: 12 },
      { day: "2026-02-19", size: 5 },
      { day: "2026-02-20", size: 5 },
    ];
    // Act
    const chunks = dayChunks(days, 10);
    // Assess
    expect(chunks).toEqual([
      { first: "2026-02-16", last: "2026-02-17" },
      { first: "2026-02-18", last: "2026-02-18" },
      { first: "2026-02-19", last: "2026-02-20" },
    ]);
    expect(dayChunks([], 10)).toEqual([]);
  });

  it("compresses each chunk and finds duplicate ids within a day, as the compaction job does", async () => {
    // Prepare
    const day = (d: string, id: string) => request({ request_id: id, ts: `2026-02-${d}T10:00:00.000Z` });
    const logs = writeLogs({
      requests: {
        "2026-02-16": { "a.jsonl": Array.from({ length: 300 }, (_, i) => day("16", `a-${i}`)) },
        "2026-02-17": { "a.jsonl": [day("17", "same-day"), day("17", "same-day"), day("17", "both-days")] },
        "2026-02-18": { "a.jsonl": [day("18", "both-days")] },
      },
    });
    const engine = await open(logs, { jsonlChunkBytes: 1 });
    // Act
    await engine.prepare(THREE_DAYS);
    const rejects = await engine.rows(
      "SELECT request_id, dt, reject_reason FROM request_features WHERE request_id IN ('same-day', 'both-days') ORDER BY request_id, dt, reject_reason",
    );
    const storage = await engine.rows(
      "SELECT DISTINCT compression FROM pragma_storage_info('feature_store.request_features') WHERE column_name = 'account_id'",
    );
    // Assess
    expect(rejects).toEqual([
      { request_id: "both-days", dt: "2026-02-17", reject_reason: null },
      { request_id: "both-days", dt: "2026-02-18", reject_reason: null },
      { request_id: "same-day", dt: "2026-02-17", reject_reason: "duplicate_request_id" },
      { request_id: "same-day", dt: "2026-02-17", reject_reason: null },
    ]);
    expect(storage.map((r) => r.compression)).not.toContain("Uncompressed");
  });

  it("stores each chunk of a compressed store sorted by account, then time", async () => {
    // Prepare
    const at = (account: string, d: string, hour: string) =>
      request({ account_id: account, ts: `2026-02-${d}T${hour}:00:00.000Z` });
    const logs = writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [at("acct-b", "16", "10"), at("acct-a", "16", "11"), at("acct-b", "16", "09")],
        },
        "2026-02-17": {
          "a.jsonl": [at("acct-a", "17", "12"), at("acct-c", "17", "08"), at("acct-a", "17", "07")],
        },
      },
    });
    const engine = await open(logs, { jsonlChunkBytes: 1 });
    // Act
    await engine.prepare({ start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-18T00:00:00Z") });
    const stored = await engine.rows(
      "SELECT account_id, strftime(ts, '%d %H') AS at FROM feature_store.request_features ORDER BY rowid",
    );
    // Assess
    expect(stored.map((r) => `${r.account_id} ${r.at}`)).toEqual([
      "acct-a 16 11",
      "acct-b 16 09",
      "acct-b 16 10",
      "acct-a 17 07",
      "acct-a 17 12",
      "acct-c 17 08",
    ]);
  });
});

describe("duplicate request ids", () => {
  const TWO_DAYS = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-18T00:00:00Z") };
  const at = (id: string | null, account: string, time: string, more: Record<string, unknown> = {}) =>
    request({ request_id: id, account_id: account, ts: `2026-02-${time}:00.000Z`, ...more });
  const replayed = at("replayed", "acct-a", "16T08:00");
  const logs = () =>
    writeLogs({
      requests: {
        "2026-02-16": {
          "a.jsonl": [
            replayed,
            replayed,
            replayed,
            at("later-copy", "acct-b", "16T10:00"),
            at("later-copy", "acct-a", "16T09:00"),
            at("same-time", "acct-b", "16T11:00"),
            at("same-time", "acct-a", "16T11:00"),
            at("first-rejected", "acct-a", "16T12:00", { output_tokens: -1 }),
            at("first-rejected", "acct-a", "16T13:00"),
            at(null, "acct-a", "16T14:00"),
            at(null, "acct-a", "16T14:00"),
            at("two-days", "acct-a", "16T15:00"),
          ],
        },
        "2026-02-17": { "a.jsonl": [at("two-days", "acct-a", "17T15:00")] },
      },
    });
  const ROWS =
    "SELECT request_id, account_id, strftime(ts, '%d %H') AS at, reject_reason FROM ranked ORDER BY ALL";

  it("keeps the first row of an id in a day, by time then account, and rejects the other copies", async () => {
    // Prepare
    const engine = await open(logs());
    // Act
    await engine.prepare(TWO_DAYS);
    const rows = await engine.rows(ROWS.replace("ranked", "request_features"));
    // Assess
    expect(rows.map((r) => `${r.request_id} ${r.account_id} ${r.at} ${r.reject_reason}`)).toEqual([
      "first-rejected acct-a 16 12 negative_tokens",
      "first-rejected acct-a 16 13 duplicate_request_id",
      "later-copy acct-a 16 09 null",
      "later-copy acct-b 16 10 duplicate_request_id",
      "replayed acct-a 16 08 duplicate_request_id",
      "replayed acct-a 16 08 duplicate_request_id",
      "replayed acct-a 16 08 null",
      "same-time acct-a 16 11 null",
      "same-time acct-b 16 11 duplicate_request_id",
      "two-days acct-a 16 15 null",
      "two-days acct-a 17 15 null",
      "null acct-a 16 14 missing_request_id",
      "null acct-a 16 14 missing_request_id",
    ]);
  });

  it("ranks them as the Athena compaction does, built whole or a day at a time", async () => {
    // Prepare
    const dir = logs();
    const whole = await open(dir, { keepRequests: true });
    const byDay = await open(dir, { jsonlChunkBytes: 1 });
    const features = sqlQuery("features");
    const unload = compactionSql(features.text, "s3://b/features/dt=2026-02-16/gen=g/");
    const athenaSelect = /^UNLOAD \(\n([\s\S]*)\n\)\nTO '/.exec(unload)?.[1] ?? "";
    // Act
    await whole.prepare(TWO_DAYS);
    await byDay.prepare(TWO_DAYS);
    await whole.rows(
      `CREATE TEMP TABLE ranked AS ${athenaSelect}`,
      positionalValues(features, windowParams(TWO_DAYS)),
    );
    // Assess
    const local = await whole.rows(ROWS.replace("ranked", "request_features"));
    expect(await whole.rows(ROWS)).toEqual(local);
    expect(await byDay.rows(ROWS.replace("ranked", "request_features"))).toEqual(local);
  });
});

describe("file sizes for chunk planning", () => {
  it("counts a gzip file's text, decompressed, and flags one cut short", async () => {
    // Prepare
    const text = `${JSON.stringify(request({ prompt: "y".repeat(5000) }))}\n`.repeat(200);
    const logs = writeLogs({ requests: { "2026-02-16": { "plain.jsonl": [request()] } } });
    const dir = join(logs, "requests", "dt=2026-02-16");
    const gz = gzipSync(text);
    writeFileSync(join(dir, "whole.jsonl.gz"), gz);
    writeFileSync(join(dir, "cut.jsonl.gz"), gz.subarray(0, Math.floor(gz.length / 2)));
    const plain = join(dir, "plain.jsonl");
    // Act
    const sizes = await fileSizes([plain, join(dir, "whole.jsonl.gz"), join(dir, "cut.jsonl.gz")]);
    // Assess
    expect(sizes.get(plain)).toEqual({
      bytes: readFileSync(plain).length,
      truncated: false,
      unreadable: null,
    });
    expect(sizes.get(join(dir, "whole.jsonl.gz"))).toEqual({
      bytes: Buffer.byteLength(text),
      truncated: false,
      unreadable: null,
    });
    const cut = sizes.get(join(dir, "cut.jsonl.gz"));
    expect(cut?.truncated).toBe(true);
    expect(cut?.bytes ?? 0).toBeLessThan(Buffer.byteLength(text));
  });
});

describe("JSON Lines read in chunks of days", () => {
  const THREE_DAYS = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-19T00:00:00Z") };
  const at = (d: string, fields: Record<string, unknown> = {}) =>
    request({ ts: `2026-02-${d}T10:00:00.000Z`, ...fields });
  const threeDays = () =>
    writeLogs({
      requests: {
        "2026-02-16": { "a.jsonl": [at("16"), at("16", { prompt: "step by step, show your work" }), "{bad"] },
        "2026-02-17": {
          "a.jsonl.gz": [at("17", { request_id: "twice" }), at("17", { request_id: "twice" })],
        },
        "2026-02-18": { "a.jsonl": [at("18", { output_tokens: -1 }), "[1]", at("18")] },
      },
    });
  const FEATURES =
    "SELECT * EXCLUDE (request_id) FROM request_features ORDER BY dt, ts, account_id, prompt_hash, reject_reason";

  it("builds the same features and counts every chunk's rejects, holding one chunk of records at a time", async () => {
    // Prepare
    const logs = threeDays();
    const whole = await open(logs);
    const byDay = await open(logs, { jsonlChunkBytes: 1 });
    // Act
    const wholePrepared = await whole.prepare(THREE_DAYS);
    const byDayPrepared = await byDay.prepare(THREE_DAYS);
    // Assess
    expect(byDayPrepared.readerRejects).toEqual({ malformed_json: 2 });
    expect(byDayPrepared.readerRejects).toEqual(wholePrepared.readerRejects);
    expect(await byDay.rows(FEATURES)).toEqual(await whole.rows(FEATURES));
    expect(
      await byDay.rows("SELECT reject_reason, count(*) AS n FROM request_features GROUP BY 1 ORDER BY 1"),
    ).toEqual([
      { reject_reason: "duplicate_request_id", n: 1 },
      { reject_reason: "negative_tokens", n: 1 },
      { reject_reason: null, n: 4 },
    ]);
    await expect(byDay.rows("SELECT count(*) FROM requests")).rejects.toThrow(/requests/);
  });

  it("keeps the whole window's records, read in one chunk, when asked to", async () => {
    // Prepare
    const engine = await open(threeDays(), { jsonlChunkBytes: 1, keepRequests: true });
    // Act
    await engine.prepare(THREE_DAYS);
    // Assess
    expect(await engine.rows("SELECT dt, count(*) AS n FROM requests GROUP BY dt ORDER BY dt")).toEqual([
      { dt: "2026-02-16", n: 2 },
      { dt: "2026-02-17", n: 2 },
      { dt: "2026-02-18", n: 2 },
    ]);
    const storage = await engine.rows(
      "SELECT DISTINCT compression FROM pragma_storage_info('feature_store.request_features')",
    );
    expect(storage.map((r) => r.compression)).toEqual(["Uncompressed"]);
  });

  it("reports the days built as each chunk is done", async () => {
    // Prepare
    const reports: [number, number][] = [];
    const engine = await open(threeDays(), {
      jsonlChunkBytes: 1,
      onFeatureDays: (built, days) => reports.push([built, days]),
    });
    // Act
    await engine.prepare(THREE_DAYS);
    // Assess
    expect(reports).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("quarantines the lines set aside in every chunk", async () => {
    // Prepare
    const engine = await open(threeDays(), { jsonlChunkBytes: 1 });
    await engine.prepare(THREE_DAYS);
    const path = join(engine.sources.root, "quarantine.jsonl");
    // Act
    const count = await engine.quarantine(path);
    // Assess
    const reasons = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).reason)
      .sort();
    expect(count).toBe(4);
    expect(reasons).toEqual(["duplicate_request_id", "malformed_json", "malformed_json", "negative_tokens"]);
  });
});

describe("shared relations", () => {
  it("builds frame_usage once for a window and again when a query asks for another window", async () => {
    // Prepare
    const logs = writeLogs({
      requests: {
        "2026-02-16": { "a.jsonl": [request(), request(), request()] },
        "2026-02-17": { "a.jsonl": [request({ ts: "2026-02-17T10:00:00.000Z" })] },
      },
    });
    const engine = await open(logs);
    const twoDays = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-18T00:00:00Z") };
    await engine.prepare(twoDays);
    const thresholds = {
      allowlisted_skeletons: [],
      min_requests: 1,
      min_frame_requests: 1,
      min_frame_share: 0,
    };
    const frameRequests = async () =>
      Number((await engine.rows("SELECT sum(requests) AS n FROM frame_usage"))[0]?.n);
    // Act
    // two detectors that use it, at once: one build serves both
    const [first] = await Promise.all([
      engine.run("detector_template_concentration", { ...windowParams(twoDays), ...thresholds }),
      engine.run("detector_template_spread", {
        ...windowParams(twoDays),
        allowlisted_skeletons: [],
        min_fills: 1,
        min_accounts: 1,
        common_share: 1,
        log_common_over_rare: 1,
        min_requests: 1,
        min_frame_share: 0,
      }),
    ]);
    const overTwoDays = await frameRequests();
    const oneDay = await engine.run("detector_template_concentration", {
      ...windowParams(DAY),
      ...thresholds,
    });
    const overOneDay = await frameRequests();
    // Assess
    expect(first.rows[0]?.requests).toBe(4);
    expect(overTwoDays).toBe(4);
    expect(oneDay.rows[0]?.requests).toBe(3);
    expect(overOneDay).toBe(3);
  });
});
