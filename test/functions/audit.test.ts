import "aws-sdk-client-mock-vitest/extend";
import { createHash } from "node:crypto";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../functions/audit.ts";
import { runAudit } from "../../lib/audit.ts";
import { parseConfig } from "../../lib/config/config.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import type { FindingsDocument } from "../../lib/findings/model.ts";
import { chatAccounts } from "../support/detect.ts";
import { account, request, writeLogs } from "../support/logs.ts";
import { BYTES_PER_QUERY, DuckAthena } from "./athena-duckdb.ts";

/**
 * The whole audit Lambda (middy, Powertools, Athena engine, S3 store, SNS notifier, the real
 * pipeline and publisher) against Athena answered by DuckDB running the submitted SQL over
 * fixture logs, S3 kept in memory and SNS recorded.
 */

const MARKER = "SECRET-PROMPT-MARKER";
const ENV = {
  AWS_REGION: "eu-west-1",
  ATHENA_WORKGROUP: "distill-audit",
  GLUE_DATABASE: "distill_audit",
  FEATURES_BUCKET: "features-bucket",
  FEATURES_PREFIX: "features/",
  LOG_BUCKET: "log-bucket",
  LOG_PREFIX: "gateway/",
  SETTLE_MINUTES: "15",
  RESULTS_BUCKET: "results-bucket",
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:distill-audit-alerts",
};
const DAILY_EVENT = {
  kind: "scheduled",
  schedule: "daily",
  scheduledTime: "2026-02-17T03:00:00Z",
  window: { days: 2 },
};
const DAILY_WINDOW = { start: new Date("2026-02-15T00:00:00Z"), end: new Date("2026-02-17T00:00:00Z") };
const RUN_ID = "daily-20260215T000000Z-20260217T000000Z";

function shiftDay(records: Record<string, unknown>[], from: string, to: string): Record<string, unknown>[] {
  return records.map((r) => ({
    ...r,
    request_id: `${to}-${r.request_id}`,
    ts: String(r.ts).replace(from, to),
  }));
}

/** A fresh account harvesting reasoning traces: a template, the answer supplied, the thinking cap. */
function harvester(day: string): Record<string, unknown>[] {
  return Array.from({ length: 300 }, (_, i) =>
    request({
      request_id: `harvest-${day}-${i}`,
      account_id: "acct-harvest",
      ts: `${day}T${String(i % 24).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}:00.000Z`,
      model: "claude-sonnet-4-5-20250929",
      thinking_budget: 63999,
      output_tokens: 6000,
      user_agent: "python-httpx/0.27",
      source_ip: "203.0.113.7",
      prompt: `${MARKER} Problem ${i}: a train leaves at ${i} km/h. The final answer is ${i * 3}. Explain step by step the reasoning that leads to it.`,
    }),
  );
}

// --- S3 in memory and SNS recorded ----------------------------------------------------------------

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const objects = new Map<string, { body: Buffer; sha256: string }>();

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

function installS3(harness: DuckAthena): void {
  s3.on(HeadObjectCommand).callsFake(({ Key }) => {
    const object = objects.get(Key);
    if (!object) throw s3Error("NotFound", 404);
    return { ChecksumSHA256: object.sha256 };
  });
  s3.on(GetObjectCommand).callsFake(({ Key }) => {
    const object = objects.get(Key);
    if (!object) throw s3Error("NoSuchKey", 404);
    return { Body: { transformToByteArray: async () => new Uint8Array(object.body) } };
  });
  s3.on(PutObjectCommand).callsFake(({ Key, Body, IfNoneMatch, ChecksumSHA256 }) => {
    if (IfNoneMatch === "*" && objects.has(Key)) throw s3Error("PreconditionFailed", 412);
    const body = Buffer.from(Body as Uint8Array);
    expect(ChecksumSHA256).toBe(createHash("sha256").update(body).digest("base64"));
    objects.set(Key, { body, sha256: ChecksumSHA256 });
    return {};
  });
  s3.on(ListObjectsV2Command, { Bucket: "log-bucket" }).callsFake(({ Prefix }) => ({
    Contents: harness
      .logKeys("gateway/")
      .filter((k) => k.startsWith(Prefix))
      .map((Key) => ({ Key })),
  }));
  s3.on(ListObjectsV2Command, { Bucket: "features-bucket" }).resolves({ Contents: [] });
  s3.on(DeleteObjectsCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: "message-1" });
}

function context(remainingMs = 900_000): Context {
  return {
    functionName: "distill-audit-audit",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:distill-audit-audit",
    memoryLimitInMB: "1024",
    awsRequestId: `request-${Math.random()}`,
    logGroupName: "/aws/lambda/distill-audit-audit",
    logStreamName: "stream",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Everything the function printed (Powertools logs and EMF metrics go to stdout/stderr). */
function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
  return {
    text: () => chunks.join(""),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

function emf(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function storedJson<T>(key: string): T {
  const object = objects.get(key);
  if (!object) throw new Error(`nothing stored at ${key}; have ${[...objects.keys()].join(", ")}`);
  return JSON.parse(object.body.toString("utf8")) as T;
}

// --- Fixture ----------------------------------------------------------------------------------------

let harness: DuckAthena;
let logsDir: string;

beforeAll(async () => {
  const day16 = chatAccounts(25, 20, 7);
  const day15 = shiftDay(chatAccounts(25, 20, 8), "2026-02-16", "2026-02-15");
  logsDir = writeLogs({
    requests: {
      "2026-02-15": { "part-0.jsonl.gz": [...day15, ...harvester("2026-02-15")] },
      "2026-02-16": {
        "part-0.jsonl.gz": [...day16.slice(0, 200)],
        "part-1.jsonl": [...day16.slice(200), ...harvester("2026-02-16")],
      },
    },
    accounts: [
      account({
        account_id: "acct-harvest",
        created_at: "2026-02-14T00:00:00.000Z",
        account_type: "startup",
      }),
      ...Array.from({ length: 25 }, (_, i) => account({ account_id: `person-${i}` })),
    ],
  });
  harness = await DuckAthena.open(logsDir, DAILY_WINDOW);
  Object.assign(process.env, ENV);
}, 120_000);

afterAll(async () => {
  await harness.close();
  s3.restore();
  sns.restore();
});

beforeEach(() => {
  s3.reset();
  sns.reset();
  installS3(harness);
});

describe("audit handler, end to end on Athena-over-DuckDB", () => {
  it("compacts the window's days, audits them, writes the bundle to S3 and publishes one digest", async () => {
    // Prepare
    const output = captureOutput();

    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler(DAILY_EVENT, context());
    } finally {
      output.restore();
    }

    // Assess: compaction wrote one generation per day and committed it.
    const unloadsTo = (prefix: string) =>
      harness.submitted.filter(
        (s) =>
          s.QueryString?.startsWith("UNLOAD") && s.QueryString.includes(`TO 's3://features-bucket/${prefix}`),
      );
    expect(unloadsTo("features/")).toHaveLength(2);
    // The shared relation was written once, and its six users read that run instead of the features.
    const [sharedUnload] = unloadsTo("shared/frame_usage/run=");
    expect(unloadsTo("shared/")).toHaveLength(1);
    const run = /run=([0-9a-f]+-1)\//.exec(sharedUnload?.QueryString ?? "")?.[1];
    const readers = harness.submitted.filter((s) =>
      s.QueryString?.includes(`FROM shared_frame_usage\nWHERE run = '${run}'`),
    );
    expect(readers).toHaveLength(6);
    expect([...harness.partitions.keys()].sort()).toEqual(["2026-02-15", "2026-02-16"]);
    expect(harness.partitions.get("2026-02-16")?.Parameters?.["distill_audit.source_files"]).toBe("2");

    // The bundle and history are in the results bucket, under the run's keys.
    const prefix = `reports/dt=2026-02-15/run=${RUN_ID}`;
    for (const file of ["findings.json", "findings.csv", "report.html", "summary.txt", "manifest.json"]) {
      expect(objects.has(`${prefix}/${file}`)).toBe(true);
    }
    expect(objects.has(`findings/dt=2026-02-15/${RUN_ID}.jsonl`)).toBe(true);
    expect(summary.reportPrefix).toBe(prefix);
    expect(summary.reportUri).toBe(`s3://results-bucket/${prefix}/report.html`);

    // Findings: the harvester, found on "Athena" exactly as the local engine finds it.
    const document = storedJson<FindingsDocument>(`${prefix}/findings.json`);
    expect(document.run).toMatchObject({
      engine: "athena",
      run_id: RUN_ID,
      generated_at: "2026-02-17T03:00:00.000Z",
    });
    expect(document.findings.some((f) => f.accounts.includes("acct-harvest"))).toBe(true);
    expect(document.data_quality.files_read).toBe(3);
    const duck = await DuckDbEngine.open({ logsDir, threads: 2 });
    const local = await runAudit(duck, {
      window: DAILY_WINDOW,
      schedule: "daily",
      config: parseConfig({}),
      codeVersion: document.run.code_version,
      asOf: new Date("2026-02-17T03:00:00Z"),
    }).finally(() => duck.close());
    const brief = (d: FindingsDocument) =>
      d.findings.map((f) => [f.id, f.severity, f.score, f.accounts.length]);
    expect(brief(document)).toEqual(brief(local.document));
    expect(document.data_quality.requests_accepted).toBe(local.document.data_quality.requests_accepted);

    // Every query is in the manifest with its Athena execution id and bytes scanned.
    const manifest = storedJson<{
      queries: { name?: string; query?: string; execution_id?: string; executionId?: string }[];
    }>(`${prefix}/manifest.json`);
    expect(JSON.stringify(manifest)).toContain('"q-1"');

    // One digest, with the attributes the e-mail filter policy uses.
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(ENV.ALERT_TOPIC_ARN);
    expect(publish?.Subject).toMatch(/^\[distill-audit\] [A-Z]+: /);
    expect(publish?.MessageAttributes?.severity_rank?.DataType).toBe("Number");
    expect(publish?.Message).toContain(`s3://results-bucket/${prefix}/report.html`);
    expect(summary).toMatchObject({ runId: RUN_ID, messageId: "message-1", daysCompacted: 2 });
    expect(summary.alerted).toBeGreaterThan(0);
    expect([...objects.keys()].filter((k) => k.startsWith("alerts/"))).toHaveLength(summary.alerted);

    // Metrics: findings by severity, bytes scanned, the heartbeat.
    const metrics = emf(output.text());
    const named = (name: string) => metrics.filter((m) => name in m);
    expect(named("AuditSucceeded")).toHaveLength(1);
    expect(named("AuditSucceeded")[0]).toMatchObject({ service: "distill-audit", AuditSucceeded: 1 });
    // The alarms and dashboard select these exact dimension sets (infra/constructs/monitoring.ts).
    const dimensions = (m: Record<string, unknown>) =>
      (m._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }).CloudWatchMetrics[0];
    expect(dimensions(named("AuditSucceeded")[0] as Record<string, unknown>)).toMatchObject({
      Namespace: "DistillAudit",
      Dimensions: [["service"]],
    });
    expect(dimensions(named("Findings")[0] as Record<string, unknown>)?.Dimensions).toEqual([
      ["service", "severity"],
    ]);
    expect(named("BytesScanned")[0]?.BytesScanned).toBe(summary.bytesScanned);
    expect(summary.bytesScanned).toBe(harness.executions.size * BYTES_PER_QUERY);
    const bySeverity = Object.fromEntries(named("Findings").map((m) => [m.severity, m.Findings]));
    expect(bySeverity).toEqual(summary.findingsBySeverity);

    // And no prompt text anywhere in what the function logged.
    expect(output.text()).toContain("audit finished");
    expect(output.text()).not.toContain(MARKER);
    expect(output.text()).not.toContain("train leaves");
  });

  it("replays the same event idempotently: same executions, same files, no second alert", async () => {
    // Prepare
    const executionsBefore = harness.executions.size;
    const storedBefore = new Map([...objects].map(([k, v]) => [k, v.sha256]));
    const output = captureOutput();

    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler(DAILY_EVENT, context());
    } finally {
      output.restore();
    }

    // Assess
    expect(harness.executions.size).toBe(executionsBefore);
    expect(summary.daysCompacted).toBe(0);
    // Only the manifest changes: it lists this run's queries, and this time nothing was compacted.
    // Besides, the run takes its run lock (a conditional create) and releases it (a rewrite).
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const rewritten = puts
      .filter((input) => input.IfNoneMatch === undefined && !input.Key?.startsWith("locks/"))
      .map((input) => input.Key);
    expect(rewritten).toEqual([`reports/dt=2026-02-15/run=${RUN_ID}/manifest.json`]);
    expect(puts.filter((input) => input.IfNoneMatch === "*").map((input) => input.Key)).toEqual([
      `locks/${RUN_ID}/000001`,
    ]);
    for (const [key, sha256] of storedBefore) {
      if (!key.endsWith("manifest.json")) expect(objects.get(key)?.sha256).toBe(sha256);
    }
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(summary.alerted).toBe(0);
  });

  it("recompacts covered days for a backfill that asks for it", async () => {
    // Prepare
    const before = harness.partitions.get("2026-02-16")?.StorageDescriptor?.Location;
    const output = captureOutput();

    // Act
    let summary: Awaited<ReturnType<typeof handler>>;
    try {
      summary = await handler(
        {
          from: "2026-02-16T06:00:00Z",
          to: "2026-02-16T18:00:00Z",
          recompact: true,
          nonce: "after-late-data",
        },
        context(),
      );
    } finally {
      output.restore();
    }

    // Assess
    expect(summary.daysCompacted).toBe(1);
    expect(summary.runId).toBe("backfill-20260216T060000Z-20260216T180000Z");
    expect(harness.partitions.get("2026-02-16")?.StorageDescriptor?.Location).not.toBe(before);
    // Recompacting for late data keeps the extent earlier audits needed (the whole day here).
    expect(harness.partitions.get("2026-02-16")?.Parameters?.["distill_audit.covered_until"]).toBe(
      "2026-02-17T00:00:00.000Z",
    );
    expect(objects.has(`reports/dt=2026-02-16/run=${summary.runId}/findings.json`)).toBe(true);
  });

  it("fails without a heartbeat or an alert when an Athena query fails, naming the query", async () => {
    // Prepare
    harness.failWhen((sql) => sql.includes("-- query: detector_volume"));
    const output = captureOutput();

    // Act
    let error: unknown;
    try {
      await handler({ from: "2026-02-16T00:00:00Z", to: "2026-02-16T12:00:00Z" }, context());
    } catch (e) {
      error = e;
    } finally {
      output.restore();
    }

    // Assess
    expect((error as Error).name).toBe("AthenaQueryError");
    expect((error as Error).message).toMatch(
      /Athena query detector_volume failed \(q-\d+\): COLUMN_NOT_FOUND/,
    );
    expect(output.text()).toContain("audit failed");
    expect(emf(output.text()).filter((m) => "AuditSucceeded" in m)).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(output.text()).not.toContain(MARKER);
  });

  it("stops before starting queries it cannot finish within the invocation", async () => {
    // Prepare
    const submitted = harness.submitted.length;
    const output = captureOutput();

    // Act
    let error: unknown;
    try {
      await handler({ from: "2026-02-10T00:00:00Z", to: "2026-02-11T00:00:00Z" }, context(5_000));
    } catch (e) {
      error = e;
    } finally {
      output.restore();
    }

    // Assess
    expect((error as Error).name).toBe("AthenaDeadlineError");
    expect(harness.submitted.length).toBe(submitted);
  });

  it("rejects an event it cannot turn into a window, before touching AWS", async () => {
    // Prepare
    const submitted = harness.submitted.length;

    // Act
    const failure = handler(
      { schedule: "hourly", scheduledTime: "not a time", window: { hours: 6 } },
      context(),
    );

    // Assess
    await expect(failure).rejects.toThrow(/invalid event \(scheduledTime: /);
    expect(harness.submitted.length).toBe(submitted);
  });
});
