import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ReportStore } from "./port.ts";

/**
 * S3 adapter of the ReportStore port. Writes carry a SHA-256 checksum (S3 verifies it on arrival)
 * and identical content is not rewritten, so re-running a window leaves a versioned, Object-Locked
 * bucket without a new version per file. Dedup markers use conditional writes (If-None-Match: *):
 * of two concurrent runs, exactly one creates the marker.
 */
export interface S3ReportStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix inside the bucket ("" or e.g. "distill-audit/"). */
  readonly prefix?: string;
  /** Fails requests if the bucket changed hands (confused-deputy protection). */
  readonly expectedBucketOwner?: string;
}

const SHA256_METADATA = "sha256";

interface S3Error {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

function status(error: unknown): number | undefined {
  return (error as S3Error | null)?.$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  const name = (error as S3Error | null)?.name;
  return name === "NotFound" || name === "NoSuchKey" || status(error) === 404;
}

export class S3ReportStore implements ReportStore {
  private readonly prefix: string;

  constructor(private readonly options: S3ReportStoreOptions) {
    this.prefix = options.prefix ?? "";
  }

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<"written" | "unchanged"> {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const digest = createHash("sha256").update(bytes);
    const hex = digest.copy().digest("hex");
    const base64 = digest.digest("base64");
    const existing = await this.existingSha256(key);
    if (existing !== null && (existing.base64 === base64 || existing.hex === hex)) return "unchanged";
    await this.options.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.fullKey(key),
        Body: bytes,
        ContentType: contentType,
        ChecksumSHA256: base64,
        Metadata: { [SHA256_METADATA]: hex },
        ExpectedBucketOwner: this.options.expectedBucketOwner,
      }),
    );
    return "written";
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const response = await this.options.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.fullKey(key),
          ExpectedBucketOwner: this.options.expectedBucketOwner,
        }),
      );
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const bytes = Buffer.from(body, "utf8");
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.fullKey(key),
          Body: bytes,
          ContentType: "application/json",
          ChecksumSHA256: createHash("sha256").update(bytes).digest("base64"),
          IfNoneMatch: "*",
          ExpectedBucketOwner: this.options.expectedBucketOwner,
        }),
      );
      return true;
    } catch (error) {
      const name = (error as S3Error | null)?.name;
      // 412: the key exists. 409: another conditional write to it is in flight, and will win.
      if (status(error) === 412 || name === "PreconditionFailed") return false;
      if (status(error) === 409 || name === "ConditionalRequestConflict") return false;
      throw error;
    }
  }

  locate(key: string): string {
    return `s3://${this.options.bucket}/${this.fullKey(key)}`;
  }

  private fullKey(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** The SHA-256 of the object now at the key, from its checksum or our metadata; null if none. */
  private async existingSha256(key: string): Promise<{ base64?: string; hex?: string } | null> {
    try {
      const head = await this.options.client.send(
        new HeadObjectCommand({
          Bucket: this.options.bucket,
          Key: this.fullKey(key),
          ChecksumMode: "ENABLED",
          ExpectedBucketOwner: this.options.expectedBucketOwner,
        }),
      );
      return { base64: head.ChecksumSHA256, hex: head.Metadata?.[SHA256_METADATA] };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }
}
