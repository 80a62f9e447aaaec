import "aws-sdk-client-mock-vitest/extend";
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import {
  AlreadyExistsException,
  BatchGetPartitionCommand,
  CreatePartitionCommand,
  GetTableCommand,
  GlueClient,
  UpdatePartitionCommand,
} from "@aws-sdk/client-glue";
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { TrinoSQL } from "dt-sql-parser";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  compactionSql,
  dayNeeds,
  FEATURE_COLUMNS,
  FEATURES_LAYOUT,
  FeatureCompactor,
} from "../../lib/engine/athena/features.ts";
import { AthenaRunner } from "../../lib/engine/athena/runner.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import { FEATURE_STORE_ORDER } from "../../lib/engine/port.ts";
import { sqlQuery } from "../../lib/sql/catalog.ts";
import { DAY, request, writeLogs } from "../support/logs.ts";

const athena = mockClient(AthenaClient);
const glue = mockClient(GlueClient);
const s3 = mockClient(S3Client);

const NOW = new Date("2026-02-17T02:00:00Z");
const TABLE_SD = {
  Columns: FEATURE_COLUMNS.map((c) => ({ Name: c.name, Type: c.type })),
  Location: "s3://features-bucket/features/",
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
};

function compactor(): FeatureCompactor {
  const runner = new AthenaRunner({
    client: new AthenaClient({ region: "eu-west-1" }),
    workGroup: "distill-audit",
    database: "distill_audit",
    sleep: async () => {},
    random: () => 0,
  });
  return new FeatureCompactor({
    runner,
    glue: new GlueClient({ region: "eu-west-1" }),
    s3: new S3Client({ region: "eu-west-1" }),
    database: "distill_audit",
    bucket: "features-bucket",
    prefix: "features/",
    logs: { bucket: "log-bucket", prefix: "gateway/" },
    now: () => NOW,
  });
}

function partition(day: string, params: Record<string, string>) {
  return {
    Values: [day],
    StorageDescriptor: { ...TABLE_SD, Location: `s3://features-bucket/features/dt=${day}/gen=old/` },
    Parameters: {
      "distill_audit.generation": "old",
      "distill_audit.covered_until": `${nextDay(day)}T00:00:00.000Z`,
      "distill_audit.compacted_at": "2026-02-17T01:00:00.000Z",
      "distill_audit.features_sql_sha256": sqlQuery("features").sha256,
      "distill_audit.layout": FEATURES_LAYOUT,
      "distill_audit.source_files": "7",
      ...params,
    },
  };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function succeed(): void {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-unload" });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: { Status: { State: "SUCCEEDED" }, Statistics: { DataScannedInBytes: 10_000_000 } },
  });
}

beforeEach(() => {
  athena.reset();
  glue.reset();
  s3.reset();
  glue.on(GetTableCommand).resolves({ Table: { Name: "request_features", StorageDescriptor: TABLE_SD } });
  glue.on(BatchGetPartitionCommand).resolves({ Partitions: [] });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
});

describe("feature compaction: which days a window needs", () => {
  it("needs each touched day up to the window end or the day's end", () => {
    // Prepare
    const window = { start: new Date("2026-02-15T20:00:00Z"), end: new Date("2026-02-17T03:00:00Z") };

    // Act
    const needs = dayNeeds(window);

    // Assess
    expect(needs).toEqual([
      { day: "2026-02-15", until: new Date("2026-02-16T00:00:00Z") },
      { day: "2026-02-16", until: new Date("2026-02-17T00:00:00Z") },
      { day: "2026-02-17", until: new Date("2026-02-17T03:00:00Z") },
    ]);
    expect(dayNeeds(DAY)).toEqual([{ day: "2026-02-16", until: DAY.end }]);
    expect(() => dayNeeds({ start: DAY.end, end: DAY.end })).toThrow(/empty audit window/);
  });
});

describe("feature compaction: writing a day", () => {
  it("UNLOADs a missing day into a fresh generation, commits the partition and removes stale generations", async () => {
    // Prepare
    succeed();
    glue.on(CreatePartitionCommand).resolves({});
    s3.on(ListObjectsV2Command, { Bucket: "log-bucket" }).resolves({
      Contents: [
        { Key: "gateway/requests/dt=2026-02-16/" },
        { Key: "gateway/requests/dt=2026-02-16/a.jsonl.gz" },
        { Key: "gateway/requests/dt=2026-02-16/b.jsonl.gz" },
      ],
    });
    s3.on(ListObjectsV2Command, { Bucket: "features-bucket" }).resolves({
      Contents: [
        {
          Key: "features/dt=2026-02-16/gen=ancient/part-0.parquet",
          LastModified: new Date("2026-02-16T12:00:00Z"),
        },
        {
          Key: "features/dt=2026-02-16/gen=recent/part-0.parquet",
          LastModified: new Date("2026-02-17T01:30:00Z"),
        },
      ],
    });
    s3.on(DeleteObjectsCommand).resolves({});

    // Act
    const result = await compactor().ensure(DAY, { seed: "daily-run" });

    // Assess
    expect(result.compacted).toEqual(["2026-02-16"]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(start?.ExecutionParameters).toEqual(["'2026-02-16'", "'2026-02-16'"]);
    const generation = result.days[0]?.generation as string;
    expect(generation).toMatch(/^20260217T000000Z-[0-9a-f]{12}$/);
    const location = `s3://features-bucket/features/dt=2026-02-16/gen=${generation}/`;
    expect(start?.QueryString).toContain(`TO '${location}'`);
    expect(start?.QueryString).toContain("WITH (format = 'PARQUET', compression = 'ZSTD')");
    expect(glue).toHaveReceivedCommandWith(CreatePartitionCommand, {
      DatabaseName: "distill_audit",
      TableName: "request_features",
      PartitionInput: expect.objectContaining({
        Values: ["2026-02-16"],
        StorageDescriptor: expect.objectContaining({ Location: location, Columns: TABLE_SD.Columns }),
        Parameters: expect.objectContaining({
          "distill_audit.covered_until": "2026-02-17T00:00:00.000Z",
          "distill_audit.compacted_at": NOW.toISOString(),
          "distill_audit.source_files": "2",
          "distill_audit.query_execution_id": "q-unload",
        }),
      }),
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: "features-bucket",
      Delete: { Objects: [{ Key: "features/dt=2026-02-16/gen=ancient/part-0.parquet" }], Quiet: true },
    });
    expect(result.stats[0]).toMatchObject({
      query: "features@2026-02-16",
      executionId: "q-unload",
      bytesScanned: 10_000_000,
    });
    expect(result.days[0]?.sourceFiles).toBe(2);
  });

  it("leaves a day alone when its partition already covers the window with today's SQL", async () => {
    // Prepare
    glue.on(BatchGetPartitionCommand).resolves({ Partitions: [partition("2026-02-16", {})] });

    // Act
    const result = await compactor().ensure(DAY, { seed: "daily-run" });

    // Assess
    expect(result.compacted).toEqual([]);
    expect(result.days[0]).toMatchObject({ day: "2026-02-16", generation: "old", sourceFiles: 7 });
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it.each([
    ["covers too little", { "distill_audit.covered_until": "2026-02-16T20:00:00.000Z" }],
    ["was compacted before the data settled", { "distill_audit.compacted_at": "2026-02-17T00:05:00.000Z" }],
    ["was written by other features SQL", { "distill_audit.features_sql_sha256": "0".repeat(64) }],
    ["has another column layout", { "distill_audit.layout": "0000" }],
  ])("recompacts a day whose partition %s, replacing it in place", async (_why, params) => {
    // Prepare
    succeed();
    glue.on(BatchGetPartitionCommand).resolves({ Partitions: [partition("2026-02-16", params)] });
    glue.on(CreatePartitionCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    glue.on(UpdatePartitionCommand).resolves({});

    // Act
    const result = await compactor().ensure(DAY, { seed: "daily-run" });

    // Assess
    expect(result.compacted).toEqual(["2026-02-16"]);
    expect(glue).toHaveReceivedCommandWith(UpdatePartitionCommand, {
      PartitionValueList: ["2026-02-16"],
      PartitionInput: expect.objectContaining({
        StorageDescriptor: expect.objectContaining({ Location: result.days[0]?.location }),
      }),
    });
    expect(result.days[0]?.generation).not.toBe("old");
  });

  it("recompacts a covered day when forced, keeping its extent", async () => {
    // Prepare
    succeed();
    glue.on(BatchGetPartitionCommand).resolves({ Partitions: [partition("2026-02-16", {})] });
    glue.on(CreatePartitionCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    glue.on(UpdatePartitionCommand).resolves({});

    const morning = { start: new Date("2026-02-16T06:00:00Z"), end: new Date("2026-02-16T12:00:00Z") };

    // Act
    const result = await compactor().ensure(morning, { seed: "replay", force: true });

    // Assess
    expect(result.compacted).toEqual(["2026-02-16"]);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
    // The day keeps the extent it had (until midnight), not just the replayed morning.
    expect(result.days[0]?.coveredUntil).toEqual(new Date("2026-02-17T00:00:00Z"));
  });

  it("keeps a partition a concurrent compaction committed meanwhile when it covers more", async () => {
    // Prepare
    succeed();
    const hourly = { start: new Date("2026-02-16T09:00:00Z"), end: new Date("2026-02-16T10:00:00Z") };
    glue
      .on(BatchGetPartitionCommand)
      .resolvesOnce({ Partitions: [] })
      .resolves({ Partitions: [partition("2026-02-16", {})] });

    // Act
    const result = await compactor().ensure(hourly, { seed: "hourly-run" });

    // Assess
    expect(result.compacted).toEqual(["2026-02-16"]);
    expect(result.days[0]).toMatchObject({
      generation: "old",
      coveredUntil: new Date("2026-02-17T00:00:00Z"),
    });
    expect(glue).not.toHaveReceivedCommand(CreatePartitionCommand);
    expect(glue).not.toHaveReceivedCommand(UpdatePartitionCommand);
  });

  it("writes to a new generation when the target already holds files from a crashed attempt", async () => {
    // Prepare
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: "q-1" })
      .resolves({ QueryExecutionId: "q-2" });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-1" }).resolves({
      QueryExecution: {
        Status: {
          State: "FAILED",
          AthenaError: {
            ErrorCategory: 2,
            Retryable: false,
            ErrorMessage: "HIVE_PATH_ALREADY_EXISTS: Target directory",
          },
        },
      },
    });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-2" }).resolves({
      QueryExecution: { Status: { State: "SUCCEEDED" }, Statistics: {} },
    });
    glue.on(CreatePartitionCommand).resolves({});

    // Act
    const result = await compactor().ensure(DAY, { seed: "daily-run" });

    // Assess
    const targets = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => /TO '([^']+)'/.exec(c.args[0].input.QueryString ?? "")?.[1]);
    expect(targets).toHaveLength(2);
    expect(targets[0]).not.toBe(targets[1]);
    expect(result.days[0]?.location).toBe(targets[1]);
    expect(glue).toHaveReceivedCommandTimes(CreatePartitionCommand, 1);
  });

  it("gives a retried invocation the same generation and token, so Athena can return the same execution", async () => {
    // Prepare
    succeed();
    glue.on(CreatePartitionCommand).resolves({});

    // Act
    const first = await compactor().ensure(DAY, { seed: "hourly-20260217T010000Z" });
    const again = await compactor().ensure(DAY, { seed: "hourly-20260217T010000Z" });

    // Assess
    expect(again.days[0]?.generation).toBe(first.days[0]?.generation);
    const tokens = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens[0]).toBe(tokens[1]);
  });
});

describe("feature compaction: the Glue table matches the feature stage", () => {
  const engines: DuckDbEngine[] = [];
  afterAll(async () => {
    for (const engine of engines) await engine.close();
  });

  it("declares exactly the columns and types features.sql produces", async () => {
    // Prepare
    const logs = writeLogs({ requests: { "2026-02-16": { "a.jsonl": [request(), request({ tools: 2 })] } } });
    const engine = await DuckDbEngine.open({ logsDir: logs, threads: 1 });
    engines.push(engine);
    await engine.prepare(DAY);
    const glueType: Record<string, string> = {
      VARCHAR: "string",
      TIMESTAMP: "timestamp",
      BIGINT: "bigint",
      INTEGER: "bigint",
      DOUBLE: "double",
      BOOLEAN: "boolean",
    };

    // Act
    const described = await engine.rows("DESCRIBE request_features");

    // Assess
    const produced = described.map((r) => ({
      name: String(r.column_name),
      type: glueType[String(r.column_type)] ?? String(r.column_type),
    }));
    expect(produced).toEqual([{ name: "dt", type: "string" }, ...FEATURE_COLUMNS]);
  });

  it("wraps the feature stage verbatim, selecting every column but the partition key", () => {
    // Act
    const sql = compactionSql(sqlQuery("features").text, "s3://b/features/dt=2026-02-16/gen=g/");

    // Assess
    expect(sql.startsWith("UNLOAD (\n  SELECT\n    request_id,\n    ts,")).toBe(true);
    expect(sql).toContain(sqlQuery("features").text.trimEnd());
    expect(sql).not.toMatch(/^\s+dt,$/m);
  });

  it("sorts each file's rows by account, then time, in a SELECT Athena can run", () => {
    // Act
    const sql = compactionSql(sqlQuery("features").text, "s3://b/features/dt=2026-02-16/gen=g/");
    const select = /^UNLOAD \(\n([\s\S]*)\n\)\nTO '/.exec(sql)?.[1] ?? "";

    // Assess
    expect(select.trimEnd().endsWith("  ) unloaded\n  ORDER BY account_id, ts")).toBe(true);
    expect(new TrinoSQL().validate(select)).toEqual([]);
    const names = FEATURE_COLUMNS.map((c) => c.name);
    for (const column of FEATURE_STORE_ORDER) expect(names).toContain(column);
  });
});
