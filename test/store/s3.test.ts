import "aws-sdk-client-mock-vitest/extend";
import { createHash } from "node:crypto";
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { S3ReportStore } from "../../lib/store/s3.ts";

const s3 = mockClient(S3Client);

function store(): S3ReportStore {
  return new S3ReportStore({
    client: new S3Client({ region: "eu-west-1" }),
    bucket: "results",
    prefix: "distill/",
  });
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

/** The part of the SDK's streaming body the store uses. */
function streamOf(text: string): never {
  return { transformToByteArray: async () => new TextEncoder().encode(text) } as never;
}

const BODY = '{"findings":[]}\n';
const SHA_BASE64 = createHash("sha256").update(BODY).digest("base64");
const SHA_HEX = createHash("sha256").update(BODY).digest("hex");

beforeEach(() => {
  s3.reset();
});

describe("S3 report store: put", () => {
  it("writes a new object with its content type, checksum and SHA-256 metadata", async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(s3Error("NotFound", 404));
    s3.on(PutObjectCommand).resolves({});

    // Act
    const outcome = await store().put("reports/dt=2026-02-16/run=x/findings.json", BODY, "application/json");

    // Assess
    expect(outcome).toBe("written");
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: "results",
      Key: "distill/reports/dt=2026-02-16/run=x/findings.json",
      ChecksumMode: "ENABLED",
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: "results",
      Key: "distill/reports/dt=2026-02-16/run=x/findings.json",
      ContentType: "application/json",
      ChecksumSHA256: SHA_BASE64,
      Metadata: { sha256: SHA_HEX },
    });
  });

  it("leaves identical content alone (checksum or metadata match)", async () => {
    // Prepare
    s3.on(HeadObjectCommand)
      .resolvesOnce({ ChecksumSHA256: SHA_BASE64 })
      .resolvesOnce({ Metadata: { sha256: SHA_HEX } });

    // Act
    const byChecksum = await store().put("a.json", BODY, "application/json");
    const byMetadata = await store().put("a.json", new TextEncoder().encode(BODY), "application/json");

    // Assess
    expect([byChecksum, byMetadata]).toEqual(["unchanged", "unchanged"]);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it("rewrites changed content", async () => {
    // Prepare
    s3.on(HeadObjectCommand).resolves({ ChecksumSHA256: "b3RoZXI=", Metadata: { sha256: "other" } });
    s3.on(PutObjectCommand).resolves({});

    // Act
    const outcome = await store().put("a.json", BODY, "application/json");

    // Assess
    expect(outcome).toBe("written");
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it("propagates errors other than a missing object", async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(s3Error("AccessDenied", 403));

    // Act
    const outcome = store().put("a.json", BODY, "application/json");

    // Assess
    await expect(outcome).rejects.toThrow("AccessDenied");
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

describe("S3 report store: createExclusive", () => {
  it("creates the marker with If-None-Match, then reports the second attempt lost (412)", async () => {
    // Prepare
    s3.on(PutObjectCommand).resolvesOnce({}).rejectsOnce(s3Error("PreconditionFailed", 412));

    // Act
    const first = await store().createExclusive("alerts/f-1/high.json", "{}");
    const second = await store().createExclusive("alerts/f-1/high.json", "{}");

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(s3).toHaveReceivedNthCommandWith(PutObjectCommand, 1, {
      Key: "distill/alerts/f-1/high.json",
      IfNoneMatch: "*",
    });
  });

  it("treats a concurrent conditional write (409) as lost, and propagates anything else", async () => {
    // Prepare
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error("ConditionalRequestConflict", 409))
      .rejectsOnce(s3Error("AccessDenied", 403));

    // Act
    const conflict = await store().createExclusive("m", "{}");
    const denied = store().createExclusive("m", "{}");

    // Assess
    expect(conflict).toBe(false);
    await expect(denied).rejects.toThrow("AccessDenied");
  });
});

describe("S3 report store: get and locate", () => {
  it("returns the bytes, null for a missing key, and an s3:// URI", async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: "distill/present.txt" })
      .resolves({ Body: streamOf("hello") })
      .on(GetObjectCommand, { Key: "distill/absent.txt" })
      .rejects(s3Error("NoSuchKey", 404));

    // Act
    const present = await store().get("present.txt");
    const absent = await store().get("absent.txt");

    // Assess
    expect(Buffer.from(present as Uint8Array).toString()).toBe("hello");
    expect(absent).toBeNull();
    expect(store().locate("reports/x/report.html")).toBe("s3://results/distill/reports/x/report.html");
  });
});
