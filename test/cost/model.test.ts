import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  billedBytes,
  MINIMUM_BILLED_BYTES,
  parquetLayout,
  partitionOf,
  queryCost,
  type RelationLayout,
  rowsIn,
  scanBytes,
  usdForBytes,
  wholeFileLayout,
} from "../../lib/cost/index.ts";

describe("Athena billing arithmetic", () => {
  it("applies the 10 MB minimum per query and rounds up to whole megabytes", () => {
    expect(MINIMUM_BILLED_BYTES).toBe(10_000_000);
    expect(billedBytes(0)).toBe(10_000_000);
    expect(billedBytes(2_500_000)).toBe(10_000_000);
    expect(billedBytes(10_000_000)).toBe(10_000_000);
    expect(billedBytes(10_000_001)).toBe(11_000_000);
    expect(billedBytes(123_456_789)).toBe(124_000_000);
  });

  it("prices $5 per TB", () => {
    expect(usdForBytes(1e12)).toBeCloseTo(5, 12);
    expect(usdForBytes(billedBytes(1))).toBeCloseTo(5e-5, 12);
  });

  it("reads the partition from a Hive path", () => {
    expect(partitionOf("/x/requests/dt=2026-02-16/part-0.parquet")).toBe("2026-02-16");
    expect(partitionOf("/x/accounts/accounts.parquet")).toBeNull();
  });
});

describe("the cost of a query from Parquet footers", () => {
  let dir: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let layout: RelationLayout;
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
  /** Compressed bytes of one column in the files of some partitions, straight from DuckDB. */
  const columnBytes = async (column: string, days: string[]) =>
    Number(
      (
        await rows(
          `SELECT coalesce(sum(total_compressed_size), 0) AS b FROM parquet_metadata('${dir}/t/*/*.parquet')
           WHERE path_in_schema = '${column}' AND regexp_extract(file_name, 'dt=([0-9-]+)', 1) IN (${days.map((d) => `'${d}'`).join(", ")})`,
        )
      )[0]?.b,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cost-model-"));
    instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    connection = await instance.connect();
    // Two days of 20,000 rows (one every 4.32 s), sorted by time, in row groups of 2,048 rows.
    await connection.run(`COPY (
        SELECT
          TIMESTAMP '2026-02-16 00:00:00' + to_microseconds(CAST(i * 4320000 AS BIGINT)) AS ts,
          'acct_' || (i % 97) AS account_id,
          repeat('prompt text ' || i || ' ', 20) AS prompt,
          i % 7 AS tools,
          strftime(TIMESTAMP '2026-02-16 00:00:00' + to_microseconds(CAST(i * 4320000 AS BIGINT)), '%Y-%m-%d') AS dt
        FROM range(40000) r(i)
        ORDER BY ts
      ) TO '${dir}/t' (FORMAT parquet, PARTITION_BY (dt), ROW_GROUP_SIZE 2048, COMPRESSION zstd)`);
    const files = (await rows(`SELECT file FROM glob('${dir}/t/*/*.parquet') ORDER BY file`)).map((r) =>
      String(r.file),
    );
    layout = await parquetLayout(rows, "t", files);
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads row groups, partitions, row counts and ts statistics from the footers", () => {
    expect(layout.rowGroups.length).toBeGreaterThanOrEqual(10);
    expect(new Set(layout.rowGroups.map((rg) => rg.partition))).toEqual(
      new Set(["2026-02-16", "2026-02-17"]),
    );
    expect(rowsIn(layout, null)).toBe(40_000);
    const first = layout.rowGroups.find((rg) => rg.tsMin === "2026-02-16T00:00:00.000Z");
    expect(first?.rows).toBeGreaterThan(0);
    // Row i is at i * 4.32 s: the group's last row gives its maximum.
    expect(first?.tsMax).toBe(
      new Date(Date.parse("2026-02-16T00:00:00Z") + ((first?.rows ?? 0) - 1) * 4320).toISOString(),
    );
  });

  it("sums only the columns named and only the partitions of the window", async () => {
    const day1 = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-17T00:00:00Z") };
    const both = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-18T00:00:00Z") };
    expect(scanBytes(layout, ["account_id"], { window: both })).toBe(
      await columnBytes("account_id", ["2026-02-16", "2026-02-17"]),
    );
    expect(scanBytes(layout, ["prompt", "ts"], { window: day1 })).toBe(
      (await columnBytes("prompt", ["2026-02-16"])) + (await columnBytes("ts", ["2026-02-16"])),
    );
    // A window ending at midnight does not touch the next day's partition.
    expect(scanBytes(layout, ["tools"], { window: day1 })).toBe(await columnBytes("tools", ["2026-02-16"]));
    expect(rowsIn(layout, day1)).toBe(20_000);
  });

  it("skips row groups outside the window on ts statistics when asked", () => {
    const hour = { start: new Date("2026-02-16T07:00:00Z"), end: new Date("2026-02-16T08:00:00Z") };
    const partitionOnly = scanBytes(layout, ["prompt"], { window: hour });
    const pruned = scanBytes(layout, ["prompt"], { window: hour, rowGroupPruning: true });
    const overlapping = layout.rowGroups.filter(
      (rg) => String(rg.tsMax) >= "2026-02-16T07:00:00.000Z" && String(rg.tsMin) < "2026-02-16T08:00:00.000Z",
    );
    expect(overlapping.length).toBeGreaterThan(0);
    expect(pruned).toBe(overlapping.reduce((n, rg) => n + (rg.columnBytes.prompt ?? 0), 0));
    expect(pruned).toBeLessThan(partitionOnly / 3);
  });

  it("prices a query from its text: referenced columns, window partitions, 10 MB minimum", async () => {
    const relations = new Map([
      ["t", { layout, columns: ["ts", "account_id", "prompt", "tools"], partitioned: true }],
    ]);
    const window = { start: new Date("2026-02-17T00:00:00Z"), end: new Date("2026-02-18T00:00:00Z") };
    const cost = queryCost(
      {
        name: "q",
        text: "-- prompt is not read\nSELECT account_id, count(*) FROM t WHERE dt = ? AND ts >= ? GROUP BY 1",
      },
      relations,
      window,
    );
    expect(cost.scans).toEqual([expect.objectContaining({ relation: "t", columns: ["ts", "account_id"] })]);
    expect(cost.scannedBytes).toBe(
      (await columnBytes("ts", ["2026-02-17"])) + (await columnBytes("account_id", ["2026-02-17"])),
    );
    expect(cost.scannedBytes).toBeLessThan(MINIMUM_BILLED_BYTES);
    expect(cost.billedBytes).toBe(MINIMUM_BILLED_BYTES);
    expect(cost.usd).toBeCloseTo(5e-5, 12);
  });

  it("treats JSON files as read whole, whatever the columns", async () => {
    await connection.run(`COPY (SELECT 1 AS a, 'x' AS b) TO '${dir}/dt=2026-02-16.jsonl' (FORMAT json)`);
    const json = wholeFileLayout("t", [`${dir}/dt=2026-02-16.jsonl`]);
    const size = json.rowGroups[0]?.columnBytes["*"] ?? 0;
    expect(size).toBeGreaterThan(0);
    expect(scanBytes(json, ["a"], { window: null })).toBe(size);
    expect(scanBytes(json, [], { window: null })).toBe(0);
    const relations = new Map([["t", { layout: json, columns: ["a", "b"], partitioned: true }]]);
    const day = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-17T00:00:00Z") };
    const cost = queryCost({ name: "q", text: "SELECT a, b FROM t" }, relations, day);
    expect(cost.scannedBytes).toBe(size);
    expect(cost.scans[0]?.columnBytes).toEqual({ "*": size });
  });
});
