import "aws-sdk-client-mock-vitest/extend";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AthenaEngine } from "../../lib/engine/athena/engine.ts";
import { FeatureCompactor } from "../../lib/engine/athena/features.ts";
import { AthenaDeadlineError, AthenaQueryError, AthenaRunner } from "../../lib/engine/athena/runner.ts";
import { windowParams } from "../../lib/engine/port.ts";
import { DAY } from "../support/logs.ts";

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: "eu-west-1" });

interface Harness {
  runner: AthenaRunner;
  compactor: FeatureCompactor;
  engine: AthenaEngine;
  sleeps: number[];
}

function harness(overrides: Partial<ConstructorParameters<typeof AthenaRunner>[0]> = {}): Harness {
  const sleeps: number[] = [];
  const runner = new AthenaRunner({
    client,
    workGroup: "distill-audit",
    database: "distill_audit",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  const compactor = new FeatureCompactor({
    runner,
    glue: new GlueClient({ region: "eu-west-1" }),
    s3: new S3Client({ region: "eu-west-1" }),
    database: "distill_audit",
    bucket: "features-bucket",
    prefix: "features/",
    logs: { bucket: "log-bucket", prefix: "gateway/" },
  });
  return {
    runner,
    compactor,
    engine: new AthenaEngine({
      runner,
      compactor,
      runSeed: "hourly-run",
      sharedLocation: "s3://features-bucket/shared/",
    }),
    sleeps,
  };
}

function state(value: QueryExecutionState, extra: Record<string, unknown> = {}) {
  return {
    QueryExecution: {
      Status: { State: value, ...extra },
      Statistics: { DataScannedInBytes: 4096, EngineExecutionTimeInMillis: 1234 },
    },
  };
}

/** One page of Athena results: the header row only on the first page. */
function page(
  columns: { Name: string; Type: string }[],
  rows: (string | undefined)[][],
  options: { header: boolean; next?: string },
): GetQueryResultsCommandOutput {
  const header = options.header ? [{ Data: columns.map((c) => ({ VarCharValue: c.Name })) }] : [];
  return {
    $metadata: {},
    NextToken: options.next,
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: columns },
      Rows: [
        ...header,
        ...rows.map((r) => ({ Data: r.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
      ],
    },
  };
}

const TOTALS_COLUMNS = [
  { Name: "account_id", Type: "varchar" },
  { Name: "requests", Type: "bigint" },
  { Name: "input_tokens", Type: "bigint" },
  { Name: "output_tokens", Type: "bigint" },
  { Name: "first_seen", Type: "timestamp" },
  { Name: "last_seen", Type: "timestamp" },
  { Name: "sample_request_ids", Type: "array" },
];

const TOTALS_PARAMS = { ...windowParams(DAY), accounts: ["acct-a", "o'brien"] };

beforeEach(() => {
  athena.reset();
});

describe("Athena engine: a query from start to typed rows", () => {
  it("starts in the workgroup with typed parameters and a deterministic token, and types the rows", async () => {
    // Prepare
    const { engine } = harness();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolvesOnce(state("RUNNING")).resolves(state("SUCCEEDED"));
    athena
      .on(GetQueryResultsCommand)
      .resolves(
        page(
          TOTALS_COLUMNS,
          [
            [
              "acct-a",
              "12",
              "100",
              "900",
              "2026-02-16 00:10:00.000",
              "2026-02-16 23:00:00.000",
              "[req-1, req-2]",
            ],
          ],
          { header: true },
        ),
      );

    // Act
    const result = await engine.run("evidence_totals", TOTALS_PARAMS);

    // Assess
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: "distill-audit",
      QueryExecutionContext: { Database: "distill_audit" },
      ExecutionParameters: [
        "'2026-02-16'",
        "'2026-02-16'",
        "TIMESTAMP '2026-02-16 00:00:00.000'",
        "TIMESTAMP '2026-02-17 00:00:00.000'",
        "ARRAY['acct-a', 'o''brien']",
      ],
    });
    const token = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.ClientRequestToken;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(result.rows).toEqual([
      {
        account_id: "acct-a",
        requests: 12,
        input_tokens: 100,
        output_tokens: 900,
        first_seen: "2026-02-16T00:10:00.000Z",
        last_seen: "2026-02-16T23:00:00.000Z",
        sample_request_ids: ["req-1", "req-2"],
      },
    ]);
    expect(result.stats).toMatchObject({
      query: "evidence_totals",
      executionId: "q-1",
      bytesScanned: 4096,
      elapsedMs: 1234,
      rows: 1,
    });
    expect(result.stats.sqlSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives a retried invocation of the same run the same token, and another run a different one", async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
    athena.on(GetQueryExecutionCommand).resolves(state("SUCCEEDED"));
    athena.on(GetQueryResultsCommand).resolves(page(TOTALS_COLUMNS, [], { header: true }));
    const first = harness().engine;
    const retried = harness().engine;
    const { runner, compactor } = harness();
    const other = new AthenaEngine({
      runner,
      compactor,
      runSeed: "daily-run",
      sharedLocation: "s3://features-bucket/shared/",
    });

    // Act
    await first.run("evidence_totals", TOTALS_PARAMS);
    await retried.run("evidence_totals", TOTALS_PARAMS);
    await other.run("evidence_totals", TOTALS_PARAMS);

    // Assess
    const tokens = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it("hands rows over in the canonical order, whatever order Athena returned them in", async () => {
    // Prepare
    const { engine } = harness();
    const columns = [
      { Name: "account_id", Type: "varchar" },
      { Name: "requests", Type: "bigint" },
    ];
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-order" });
    athena.on(GetQueryExecutionCommand).resolves(state("SUCCEEDED"));
    athena.on(GetQueryResultsCommand).resolves(
      page(
        columns,
        [
          ["acct-b", "1"],
          ["acct-a", "10"],
          [undefined, "3"],
          ["acct-a", "2"],
        ],
        { header: true },
      ),
    );

    // Act
    const result = await engine.run("evidence_totals", TOTALS_PARAMS);

    // Assess
    expect(result.rows).toEqual([
      { account_id: null, requests: 3 },
      { account_id: "acct-a", requests: 2 },
      { account_id: "acct-a", requests: 10 },
      { account_id: "acct-b", requests: 1 },
    ]);
  });

  it("reads every page of a large result; only the first page carries the header", async () => {
    // Prepare
    const { runner } = harness();
    const columns = [
      { Name: "account_id", Type: "varchar" },
      { Name: "requests", Type: "bigint" },
    ];
    const slice = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => [`acct-${from + i}`, String(from + i)]);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-big" });
    athena.on(GetQueryExecutionCommand).resolves(state("SUCCEEDED"));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(page(columns, slice(0, 999), { header: true, next: "t1" }))
      .resolvesOnce(page(columns, slice(999, 1000), { header: false, next: "t2" }))
      .resolvesOnce(page(columns, slice(1999, 501), { header: false }));

    // Act
    const execution = await runner.execute(() => ({
      label: "big",
      sql: "SELECT 1",
      parameters: [],
      tokenSeed: "big",
    }));
    const rows = await runner.rows(execution);

    // Assess
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toEqual({ account_id: "acct-0", requests: 0 });
    expect(rows[999]).toEqual({ account_id: "acct-999", requests: 999 });
    expect(rows[2499]).toEqual({ account_id: "acct-2499", requests: 2499 });
    expect(rows.some((r) => r.account_id === "account_id")).toBe(false);
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 2, {
      NextToken: "t1",
      MaxResults: 1000,
    });
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 3, { NextToken: "t2" });
  });
});

describe("Athena engine: shared relations", () => {
  it("refuses a query that uses a shared relation the audit has not built, before calling Athena", async () => {
    // Prepare
    const { engine } = harness();
    // Act
    const run = engine.run("detector_template_spread", {});
    // Assess
    await expect(run).rejects.toThrow(/uses shared relation frame_usage, which prepare\(\) has not built/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });
});

describe("Athena runner: polling, retries and the deadline", () => {
  const statement = () => ({ label: "detector_volume", sql: "SELECT 1", parameters: [], tokenSeed: "seed" });

  it("keeps polling when a RUNNING query goes back to QUEUED, with capped growing delays", async () => {
    // Prepare
    const { runner, sleeps } = harness({ pollInitialMs: 100, pollMaxMs: 300 });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-2" });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state("QUEUED"))
      .resolvesOnce(state("RUNNING"))
      .resolvesOnce(state("QUEUED"))
      .resolvesOnce(state("RUNNING"))
      .resolves(state("SUCCEEDED"));

    // Act
    const execution = await runner.execute(statement);

    // Assess
    expect(execution).toMatchObject({ id: "q-2", attempts: 1, bytesScanned: 4096 });
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 5);
    // Equal jitter with random 0.5: 3/4 of 100, 200, 300 (cap), 300.
    expect(sleeps).toEqual([75, 150, 225, 225]);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
  });

  it("resubmits a retryable failure with a new token and succeeds", async () => {
    // Prepare
    const { runner } = harness();
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: "q-fail" })
      .resolves({ QueryExecutionId: "q-ok" });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-fail" }).resolves(
      state("FAILED", {
        AthenaError: { ErrorCategory: 1, ErrorType: 401, Retryable: true, ErrorMessage: "Internal error" },
      }),
    );
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-ok" }).resolves(state("SUCCEEDED"));

    // Act
    const execution = await runner.execute(statement);

    // Assess
    expect(execution).toMatchObject({ id: "q-ok", attempts: 2 });
    const tokens = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it("gives up after the attempt bound when a system failure persists", async () => {
    // Prepare
    const { runner } = harness({ maxAttempts: 2 });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-sys" });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(
        state("FAILED", { AthenaError: { ErrorCategory: 1, Retryable: false, ErrorMessage: "boom" } }),
      );

    // Act
    const failure = runner.execute(statement);

    // Assess
    await expect(failure).rejects.toThrow(/detector_volume failed after 2 attempts \(q-sys\): boom/);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 2);
  });

  it("does not retry a user error, and names the query and Athena's message", async () => {
    // Prepare
    const { runner } = harness();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-user" });
    athena.on(GetQueryExecutionCommand).resolves(
      state("FAILED", {
        StateChangeReason: "line 3:8: Column 'bogus' cannot be resolved",
        AthenaError: {
          ErrorCategory: 2,
          ErrorType: 1006,
          Retryable: false,
          ErrorMessage: "COLUMN_NOT_FOUND: line 3:8: Column 'bogus' cannot be resolved",
        },
      }),
    );

    // Act
    const error = await runner.execute(statement).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).message).toBe(
      "Athena query detector_volume failed (q-user): COLUMN_NOT_FOUND: line 3:8: Column 'bogus' cannot be resolved",
    );
    expect((error as AthenaQueryError).failure).toMatchObject({ category: 2, retryable: false });
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it("cuts long quoted data out of Athena's message so prompt text cannot reach the logs", async () => {
    // Prepare
    const { runner } = harness();
    const prompt = "Please think step by step about the following secret prompt text";
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-cast" });
    athena.on(GetQueryExecutionCommand).resolves(
      state("FAILED", {
        AthenaError: {
          ErrorCategory: 2,
          ErrorMessage: `INVALID_CAST_ARGUMENT: Cannot cast '${prompt}' to BIGINT`,
        },
      }),
    );

    // Act
    const error = (await runner.execute(statement).catch((e: unknown) => e)) as Error;

    // Assess
    expect(error.message).toContain("INVALID_CAST_ARGUMENT");
    expect(error.message).not.toContain("secret prompt text");
  });

  it("retries StartQueryExecution while Athena throttles it", async () => {
    // Prepare
    const { runner, sleeps } = harness();
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "TooManyRequestsException",
      $metadata: { httpStatusCode: 400 },
    });
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ QueryExecutionId: "q-3" });
    athena.on(GetQueryExecutionCommand).resolves(state("SUCCEEDED"));

    // Act
    const execution = await runner.execute(statement);

    // Assess
    expect(execution.id).toBe("q-3");
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] as number);
  });

  it("surfaces other API errors at once", async () => {
    // Prepare
    const { runner } = harness();
    athena
      .on(StartQueryExecutionCommand)
      .rejects(Object.assign(new Error("WorkGroup is disabled"), { name: "InvalidRequestException" }));

    // Act
    const failure = runner.execute(statement);

    // Assess
    await expect(failure).rejects.toThrow("WorkGroup is disabled");
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
  });

  it("stops the query and raises when the invocation approaches its deadline", async () => {
    // Prepare
    let remaining = 60_000;
    const { runner } = harness({
      remainingMs: () => remaining,
      deadlineMarginMs: 20_000,
      sleep: async (ms) => {
        remaining -= ms + 15_000;
      },
    });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-slow" });
    athena.on(GetQueryExecutionCommand).resolves(state("RUNNING"));
    athena.on(StopQueryExecutionCommand).resolves({});

    // Act
    const error = await runner.execute(statement).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AthenaDeadlineError);
    expect((error as Error).message).toMatch(/stopped Athena query detector_volume \(q-slow\)/);
    expect(athena).toHaveReceivedCommandExactlyOnceWith(StopQueryExecutionCommand, {
      QueryExecutionId: "q-slow",
    });
  });

  it("does not start a query when the deadline is already too close", async () => {
    // Prepare
    const { runner } = harness({ remainingMs: () => 5_000, deadlineMarginMs: 20_000 });

    // Act
    const failure = runner.execute(statement);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(AthenaDeadlineError);
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it("resubmits a cancelled query (stopped at an earlier invocation's deadline) under a new token", async () => {
    // Prepare
    const { runner } = harness();
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: "q-stopped" })
      .resolves({ QueryExecutionId: "q-fresh" });
    athena
      .on(GetQueryExecutionCommand, { QueryExecutionId: "q-stopped" })
      .resolves(state("CANCELLED", { StateChangeReason: "Query cancelled by user" }));
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-fresh" }).resolves(state("SUCCEEDED"));

    // Act
    const execution = await runner.execute(statement);

    // Assess
    expect(execution).toMatchObject({ id: "q-fresh", attempts: 2 });
  });

  it("reports a query cancelled on every attempt as an error", async () => {
    // Prepare
    const { runner } = harness();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-c" });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(state("CANCELLED", { StateChangeReason: "Query cancelled by user" }));

    // Act
    const failure = runner.execute(statement);

    // Assess
    await expect(failure).rejects.toThrow(
      "Athena query detector_volume failed after 3 attempts (q-c): cancelled: Query cancelled by user",
    );
  });
});
