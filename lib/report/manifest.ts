import { createHash } from "node:crypto";
import { z } from "zod";
import { SEVERITIES } from "../domain/signal.ts";
import type { QueryStats } from "../engine/port.ts";
import type { FindingsDocument } from "../findings/model.ts";

/**
 * manifest.json: how the bundle was made (run, window, engine, code and config version, every
 * query with its SQL hash, execution id and bytes scanned) and the SHA-256 of every other file,
 * so an auditor can reproduce the run and check that nothing in the bundle was altered.
 */
export const MANIFEST_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
// Bundle file names are plain names: a tampered manifest must not point a verifier elsewhere.
const FileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
  .refine((name) => name !== "manifest.json", "the manifest cannot list itself");

export const Manifest = z.object({
  manifest_version: z.literal(MANIFEST_VERSION),
  schema_version: z.number().int(),
  run_id: z.string(),
  schedule: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  generated_at: z.string(),
  engine: z.string(),
  code_version: z.string(),
  config_sha256: z.string(),
  queries: z.array(
    z.object({
      name: z.string(),
      sql_sha256: z.string(),
      execution_id: z.string(),
      bytes_scanned: z.number().nullable(),
      elapsed_ms: z.number(),
      rows: z.number().int(),
    }),
  ),
  totals: z.object({
    queries: z.number().int(),
    bytes_scanned: z.number(),
    elapsed_ms: z.number(),
  }),
  data_quality: z.object({
    requests_read: z.number().int(),
    requests_accepted: z.number().int(),
    set_aside: z.number().int(),
    outside_window: z.number().int(),
    rejected: z.record(z.string(), z.number().int()),
    files_read: z.number().int(),
    unreadable_files: z.number().int(),
    accounts_available: z.boolean(),
  }),
  findings: z.object({ total: z.number().int(), by_severity: z.record(z.string(), z.number().int()) }),
  files: z.array(
    z.object({ name: FileName, content_type: z.string(), bytes: z.number().int(), sha256: Sha256 }),
  ),
  /** The run's line in the findings history (outside the bundle folder), by store key. */
  history: z.object({ key: z.string(), lines: z.number().int(), bytes: z.number().int(), sha256: Sha256 }),
});
export type Manifest = z.infer<typeof Manifest>;

export interface BundleFile {
  readonly name: string;
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash("sha256").update(toBytes(body)).digest("hex");
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function buildManifest(
  document: FindingsDocument,
  queries: readonly QueryStats[],
  files: readonly BundleFile[],
  history: { readonly key: string; readonly body: string },
): Manifest {
  const { run, data_quality: quality } = document;
  return Manifest.parse({
    manifest_version: MANIFEST_VERSION,
    schema_version: document.schema_version,
    run_id: run.run_id,
    schedule: run.schedule,
    window: { start: run.window_start, end: run.window_end },
    generated_at: run.generated_at,
    engine: run.engine,
    code_version: run.code_version,
    config_sha256: run.config_sha256,
    queries: queries.map((q) => ({
      name: q.query,
      sql_sha256: q.sqlSha256,
      execution_id: q.executionId,
      bytes_scanned: q.bytesScanned,
      elapsed_ms: round(q.elapsedMs),
      rows: q.rows,
    })),
    totals: {
      queries: queries.length,
      bytes_scanned: queries.reduce((n, q) => n + (q.bytesScanned ?? 0), 0),
      elapsed_ms: round(queries.reduce((n, q) => n + q.elapsedMs, 0)),
    },
    data_quality: {
      requests_read: quality.requests_read,
      requests_accepted: quality.requests_accepted,
      // Records rejected by reason; those outside the window are valid, only not audited.
      set_aside: Object.values(quality.rejected).reduce((n, v) => n + v, 0),
      outside_window: quality.outside_window,
      rejected: Object.fromEntries(Object.entries(quality.rejected).sort(([a], [b]) => a.localeCompare(b))),
      files_read: quality.files_read,
      unreadable_files: quality.unreadable_files.length,
      accounts_available: quality.accounts_available,
    },
    findings: {
      total: document.findings.length,
      by_severity: Object.fromEntries(
        SEVERITIES.map((s) => [s, document.findings.filter((f) => f.severity === s).length]),
      ),
    },
    files: files.map((f) => ({
      name: f.name,
      content_type: f.contentType,
      bytes: toBytes(f.body).byteLength,
      sha256: sha256Hex(f.body),
    })),
    history: {
      key: history.key,
      lines: history.body === "" ? 0 : history.body.split("\n").length - 1,
      bytes: toBytes(history.body).byteLength,
      sha256: sha256Hex(history.body),
    },
  });
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export interface ManifestCheck {
  readonly ok: boolean;
  /** One line per problem: a missing or altered file, or an unreadable manifest. */
  readonly problems: readonly string[];
}

type Reader = (name: string) => Promise<Uint8Array | null> | Uint8Array | null;

/**
 * Checks every file the manifest lists against its size and SHA-256. `read` gets bundle file
 * names (relative to the bundle folder); `readKey`, when given, gets the history's store key.
 */
export async function verifyManifest(
  manifestText: string,
  read: Reader,
  readKey?: Reader,
): Promise<ManifestCheck> {
  let manifest: Manifest;
  try {
    manifest = Manifest.parse(JSON.parse(manifestText));
  } catch (error) {
    return { ok: false, problems: [`manifest.json is not a valid manifest: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  const check = async (label: string, bytes: Uint8Array | null, size: number, sha: string): Promise<void> => {
    if (bytes === null) problems.push(`${label}: missing`);
    else if (bytes.byteLength !== size)
      problems.push(`${label}: ${bytes.byteLength} bytes, manifest says ${size}`);
    else if (sha256Hex(bytes) !== sha) problems.push(`${label}: SHA-256 differs from the manifest`);
  };
  for (const file of manifest.files) await check(file.name, await read(file.name), file.bytes, file.sha256);
  if (readKey) {
    const h = manifest.history;
    await check(h.key, await readKey(h.key), h.bytes, h.sha256);
  }
  return { ok: problems.length === 0, problems };
}
