import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../functions/compact.ts";
import { request, writeLogs } from "../support/logs.ts";
import { DuckAthena } from "./athena-duckdb.ts";

const s3 = mockClient(S3Client);
const DAY = { start: new Date("2026-02-16T00:00:00Z"), end: new Date("2026-02-17T00:00:00Z") };
let harness: DuckAthena;

function context(): Context {
  return {
    functionName: "distill-audit-compact",
    awsRequestId: "request-1",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:distill-audit-compact",
    memoryLimitInMB: "512",
    getRemainingTimeInMillis: () => 900_000,
  } as Context;
}

async function invoke(
  event: unknown,
): Promise<{ summary: Awaited<ReturnType<typeof handler>>; output: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { summary: await handler(event, context()), output: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

/**
 * Feature rows of the day as an audit would read them (only committed generations count), before
 * `until` when given: a partition holds every row of its day present when it was compacted, and
 * covers (is complete) up to its covered_until.
 */
async function featureRows(until?: string): Promise<number> {
  await harness.refreshFeatures();
  const before = until === undefined ? "" : ` AND hour_bucket < TIMESTAMP '${until}'`;
  const rows = await harness.duck.rows(
    `SELECT count(*) AS n FROM request_features WHERE dt = '2026-02-16'${before}`,
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  const hours = [3, 9, 9, 14, 20];
  const logs = writeLogs({
    requests: {
      "2026-02-16": {
        "a.jsonl": hours.map((h, i) =>
          request({ request_id: `r-${i}`, ts: `2026-02-16T${String(h).padStart(2, "0")}:30:00.000Z` }),
        ),
      },
    },
  });
  harness = await DuckAthena.open(logs, DAY);
  Object.assign(process.env, {
    AWS_REGION: "eu-west-1",
    ATHENA_WORKGROUP: "distill-audit",
    GLUE_DATABASE: "distill_audit",
    FEATURES_BUCKET: "features-bucket",
    FEATURES_PREFIX: "features/",
    LOG_BUCKET: "log-bucket",
    LOG_PREFIX: "",
  });
}, 60_000);

afterAll(async () => {
  await harness.close();
  s3.restore();
});

beforeEach(() => {
  s3.reset();
  s3.on(ListObjectsV2Command, { Bucket: "log-bucket" }).callsFake(({ Prefix }) => ({
    Contents: harness
      .logKeys("")
      .filter((k) => k.startsWith(Prefix))
      .map((Key) => ({ Key })),
  }));
  s3.on(ListObjectsV2Command, { Bucket: "features-bucket" }).resolves({ Contents: [] });
  s3.on(DeleteObjectsCommand).resolves({});
});

describe("compaction handler", () => {
  it("compacts today up to the last whole hour and records what it covers", async () => {
    // Act
    const { summary, output } = await invoke({
      schedule: "compact-hourly",
      scheduledTime: "2026-02-16T10:35:00Z",
      window: { hours: 1 },
    });

    // Assess
    expect(summary.compacted).toEqual(["2026-02-16"]);
    expect(summary.days[0]).toMatchObject({ day: "2026-02-16", coveredUntil: "2026-02-16T10:00:00.000Z" });
    expect(harness.partitions.get("2026-02-16")?.Parameters?.["distill_audit.covered_until"]).toBe(
      "2026-02-16T10:00:00.000Z",
    );
    expect(await featureRows("2026-02-16 10:00:00")).toBe(3);
    // The later rows are kept too (an audit counts them as outside its window, never drops them).
    expect(await featureRows()).toBe(5);
    expect(output).toContain('"CompactionSucceeded":1');
  });

  it("does nothing when the same hour is compacted again", async () => {
    // Prepare
    const executions = harness.executions.size;

    // Act
    const { summary } = await invoke({
      schedule: "compact-hourly",
      scheduledTime: "2026-02-16T10:35:00Z",
      window: { hours: 1 },
    });

    // Assess
    expect(summary.compacted).toEqual([]);
    expect(harness.executions.size).toBe(executions);
  });

  it("seals the previous day: a forced recompaction of the whole day replaces the generation", async () => {
    // Prepare
    const before = harness.partitions.get("2026-02-16")?.StorageDescriptor?.Location;

    // Act
    const { summary } = await invoke({
      schedule: "compact-seal",
      scheduledTime: "2026-02-17T01:15:00Z",
      window: { days: 1 },
      recompact: true,
    });

    // Assess
    expect(summary.compacted).toEqual(["2026-02-16"]);
    expect(summary.days[0]?.coveredUntil).toBe("2026-02-17T00:00:00.000Z");
    expect(harness.partitions.get("2026-02-16")?.StorageDescriptor?.Location).not.toBe(before);
    expect(await featureRows()).toBe(5);
  });
});
