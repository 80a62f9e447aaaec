/**
 * The report-store port: where report bundles, findings history and alert-dedup markers live.
 * The filesystem adapter serves the CLI; the S3 adapter serves Lambda.
 */
export interface ReportStore {
  /** Writes an object; identical content already at the key is left alone ("unchanged"). */
  put(key: string, body: string | Uint8Array, contentType: string): Promise<"written" | "unchanged">;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * Creates the object only if the key is free (S3 If-None-Match, O_EXCL on a filesystem).
   * Returns false when it already existed: two concurrent runs cannot both create it.
   */
  createExclusive(key: string, body: string): Promise<boolean>;
  /**
   * Removes what interrupted writes left behind (the filesystem's temporary files) and returns how
   * many. Absent where a write is atomic by itself (an S3 PUT either lands whole or not at all).
   */
  sweep?(): Promise<number>;
  /** Where a person finds the object: a file path or an s3:// URI. */
  locate(key: string): string;
}
