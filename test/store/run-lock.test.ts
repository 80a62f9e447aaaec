import "aws-sdk-client-mock-vitest/extend";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FsReportStore } from "../../lib/store/fs.ts";
import type { ReportStore } from "../../lib/store/port.ts";
import {
  acquireRunLock,
  latestLock,
  lockKey,
  RunLockBusyError,
  RunLockLostError,
} from "../../lib/store/run-lock.ts";
import { S3ReportStore } from "../../lib/store/s3.ts";

const RUN = "daily-20260216T000000Z-20260217T000000Z";

/** A clock that moves only when the lock waits, so expiry is tested without sleeping. */
function fakeTime(start = Date.parse("2026-02-17T01:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fsStore(): FsReportStore {
  const dir = mkdtempSync(join(tmpdir(), "distill-lock-"));
  dirs.push(dir);
  return new FsReportStore(dir);
}

describe("run lock on the filesystem store", () => {
  it("takes generation 0, frees it on release, and the next run takes generation 1", async () => {
    // prepare
    const store = fsStore();

    // act
    const first = await acquireRunLock(store, RUN, RUN);
    await first.release();
    const second = await acquireRunLock(store, RUN, RUN);

    // assess
    expect(first.key).toBe(lockKey(RUN, 0));
    expect(second.key).toBe(lockKey(RUN, 1));
    expect((await latestLock(store, RUN)).record?.status).toBe("held");
    await second.release();
    expect((await latestLock(store, RUN)).record?.status).toBe("released");
  });

  it("makes a second run wait until the first releases", async () => {
    // prepare
    const store = fsStore();
    const first = await acquireRunLock(store, RUN, RUN);
    const order: string[] = [];

    // act
    const second = acquireRunLock(store, RUN, RUN, { pollMs: 5 }).then((lock) => {
      order.push("second acquired");
      return lock;
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push("first releases");
    await first.release();
    const lock = await second;

    // assess
    expect(order).toEqual(["first releases", "second acquired"]);
    expect(lock.generation).toBe(1);
    await lock.release();
  });

  it("gives up with RunLockBusyError when the holder keeps it beyond the wait", async () => {
    // prepare
    const store = fsStore();
    const time = fakeTime();
    await acquireRunLock(store, RUN, RUN, { now: time.now, ttlMs: 60_000 });

    // act
    const second = acquireRunLock(store, RUN, RUN, { ...time, ttlMs: 60_000, waitMs: 10_000, pollMs: 1000 });

    // assess
    await expect(second).rejects.toBeInstanceOf(RunLockBusyError);
  });

  it("takes over a lock whose holder died (at once) or whose expiry passed", async () => {
    // prepare
    const store = fsStore();
    const time = fakeTime();
    await acquireRunLock(store, RUN, RUN, { now: time.now, host: "dead-host" });

    // act
    const afterDeath = await acquireRunLock(store, RUN, RUN, {
      now: time.now,
      ttlMs: 1000,
      sleep: () => Promise.reject(new Error("must not wait for a dead holder")),
      ownerAlive: (owner) => owner.host !== "dead-host",
    });
    const afterExpiry = await acquireRunLock(store, RUN, RUN, { ...time, ttlMs: 1000, pollMs: 400 });

    // assess
    expect(afterDeath.generation).toBe(1);
    expect(afterExpiry.generation).toBe(2);
  });

  it("lets only one of many concurrent runs hold the lock at a time", async () => {
    // prepare
    const store = fsStore();
    let holders = 0;
    let most = 0;

    // act
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const lock = await acquireRunLock(store, RUN, RUN, { pollMs: 2 });
        holders += 1;
        most = Math.max(most, holders);
        await new Promise((r) => setTimeout(r, 10));
        holders -= 1;
        await lock.release();
      }),
    );

    // assess
    expect(most).toBe(1);
    expect((await latestLock(store, RUN)).generation).toBe(5);
  });

  it("refuses to renew a lock that expired or that another run took over", async () => {
    // prepare
    const store = fsStore();
    const time = fakeTime();
    const lock = await acquireRunLock(store, RUN, RUN, { now: time.now, ttlMs: 1000 });
    await lock.renew();

    // act
    time.advance(1500);
    const expired = await lock.renew().catch((error: unknown) => error);
    const taken = await acquireRunLock(store, RUN, RUN, { now: time.now, ttlMs: 1000 });
    time.advance(-1000);
    const takenOver = await lock.renew().catch((error: unknown) => error);

    // assess
    expect(expired).toBeInstanceOf(RunLockLostError);
    expect(taken.generation).toBe(1);
    expect(takenOver).toBeInstanceOf(RunLockLostError);
    expect((takenOver as Error).message).toContain("taken over");
  });
});

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

/** A bucket in memory behind the mock: GETs read it, PUTs write it and honour If-None-Match. */
function emulateBucket(s3: AwsClientStub<S3Client>, hideOnce = new Set<string>()): Map<string, string> {
  const objects = new Map<string, string>();
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = hideOnce.delete(input.Key) ? undefined : objects.get(input.Key);
    if (body === undefined) throw s3Error("NoSuchKey", 404);
    return { Body: { transformToByteArray: async () => new TextEncoder().encode(body) } };
  });
  // No checksum comes back, so the store rewrites rather than skips (as for a missing object).
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    if (!objects.has(input.Key)) throw s3Error("NotFound", 404);
    return {};
  });
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Uint8Array; IfNoneMatch?: string }) => {
    if (input.IfNoneMatch === "*" && objects.has(input.Key)) throw s3Error("PreconditionFailed", 412);
    objects.set(input.Key, Buffer.from(input.Body).toString("utf8"));
    return {};
  });
  return objects;
}

describe("run lock on the S3 store (aws-sdk-client-mock)", () => {
  let s3: AwsClientStub<S3Client>;
  let store: ReportStore;

  beforeEach(() => {
    s3 = mockClient(S3Client);
    store = new S3ReportStore({ client: new S3Client({ region: "eu-west-1" }), bucket: "results" });
  });

  afterEach(() => {
    s3.restore();
  });

  it("creates the lock with If-None-Match and releases it by rewriting its generation", async () => {
    // prepare
    const objects = emulateBucket(s3);

    // act
    const lock = await acquireRunLock(store, RUN, RUN);
    await lock.release();

    // assess
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: lockKey(RUN, 0), IfNoneMatch: "*" });
    expect(JSON.parse(objects.get(lockKey(RUN, 0)) ?? "{}")).toMatchObject({
      status: "released",
      generation: 0,
    });
  });

  it("waits when its create loses the race (412) to a live run, and gives up when the wait runs out", async () => {
    // prepare
    const hideOnce = new Set<string>();
    emulateBucket(s3, hideOnce);
    const time = fakeTime();
    await acquireRunLock(store, RUN, RUN, { now: time.now });
    const put = s3.commandCalls(PutObjectCommand).length;
    // The other run's create lands between our read (nothing there yet) and our create.
    hideOnce.add(lockKey(RUN, 0));

    // act
    const busy = acquireRunLock(store, RUN, RUN, { ...time, waitMs: 5_000, pollMs: 1_000 });

    // assess
    await expect(busy).rejects.toBeInstanceOf(RunLockBusyError);
    const creates = s3.commandCalls(PutObjectCommand).slice(put);
    expect(creates.map((c) => c.args[0].input.IfNoneMatch)).toEqual(["*"]);
  });

  it("treats a concurrent conditional write (409) as lost and looks again", async () => {
    // prepare
    const objects = emulateBucket(s3);
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error("ConditionalRequestConflict", 409))
      .callsFake((input: { Key: string; Body: Uint8Array; IfNoneMatch?: string }) => {
        if (input.IfNoneMatch === "*" && objects.has(input.Key)) throw s3Error("PreconditionFailed", 412);
        objects.set(input.Key, Buffer.from(input.Body).toString("utf8"));
        return {};
      });

    // act
    const lock = await acquireRunLock(store, RUN, RUN, { pollMs: 1 });

    // assess
    expect(lock.generation).toBe(0);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
  });

  it("keeps a lock whose create succeeded but whose response was lost (412 on the retry)", async () => {
    // prepare
    const objects = new Map<string, string>();
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const body = objects.get(input.Key);
      if (body === undefined) throw s3Error("NoSuchKey", 404);
      return { Body: { transformToByteArray: async () => new TextEncoder().encode(body) } };
    });
    s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Uint8Array }) => {
      // The write lands, the SDK retries after a lost response, and the retry finds it there.
      objects.set(input.Key, Buffer.from(input.Body).toString("utf8"));
      throw s3Error("PreconditionFailed", 412);
    });

    // act
    const lock = await acquireRunLock(store, RUN, RUN, {
      waitMs: 0,
      sleep: () => Promise.reject(new Error("must not wait for its own lock")),
    });

    // assess
    expect(lock.generation).toBe(0);
  });

  it("propagates throttling and access errors instead of taking or skipping the lock", async () => {
    // prepare
    s3.on(GetObjectCommand).rejects(s3Error("NoSuchKey", 404));
    s3.on(PutObjectCommand).rejects(s3Error("SlowDown", 503));

    // act
    const throttled = acquireRunLock(store, RUN, RUN);

    // assess
    await expect(throttled).rejects.toThrow("SlowDown");
    s3.reset();
    s3.on(GetObjectCommand).rejects(s3Error("AccessDenied", 403));
    await expect(acquireRunLock(store, RUN, RUN)).rejects.toThrow("AccessDenied");
  });

  it("takes over an expired lock at the next generation", async () => {
    // prepare
    const objects = emulateBucket(s3);
    const time = fakeTime();
    await acquireRunLock(store, RUN, RUN, { now: time.now, ttlMs: 1000 });
    time.advance(2000);

    // act
    const lock = await acquireRunLock(store, RUN, RUN, { now: time.now, ttlMs: 1000 });

    // assess
    expect(lock.generation).toBe(1);
    expect(objects.has(lockKey(RUN, 1))).toBe(true);
  });
});
