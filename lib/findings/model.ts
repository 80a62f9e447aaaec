import { z } from "zod";
import { AxisScores, ClusterLink, MemberAttachment, Severity, Signal } from "../domain/signal.ts";

/**
 * The findings document (findings.json), version 1. Later versions may add fields, never remove or
 * change one. The JSON Schema shipped in lib/findings/findings.schema.json is generated from these
 * definitions (see `findingsJsonSchema`) and a test keeps the two identical.
 */
export const FINDINGS_SCHEMA_VERSION = 1;

export const Count = z.object({ key: z.string(), requests: z.number().int().min(0) });
export type Count = z.infer<typeof Count>;

export const SkeletonEvidence = z.object({
  hash: z.string().describe("skeleton hash, hex"),
  excerpt: z
    .string()
    .nullable()
    .describe("short redacted excerpt of the masked template, or null when excerpts are off"),
  requests: z.number().int().min(0),
  accounts: z.number().int().min(0),
});
export type SkeletonEvidence = z.infer<typeof SkeletonEvidence>;

export const Evidence = z.object({
  requests: z.number().int().min(0),
  input_tokens: z.number().int().min(0),
  output_tokens: z.number().int().min(0),
  first_seen: z.iso.datetime().nullable(),
  last_seen: z.iso.datetime().nullable(),
  sample_request_ids: z.array(z.string()).max(20),
  top_skeletons: z.array(SkeletonEvidence),
  networks: z.array(Count),
  user_agents: z.array(Count),
  models: z.array(Count),
  /** Requests per UTC hour, for the traffic chart. */
  hourly: z.array(z.object({ hour: z.iso.datetime(), requests: z.number().int().min(0) })),
});
export type Evidence = z.infer<typeof Evidence>;

export const Finding = z.object({
  id: z.string().describe("stable id: the same subject keeps it across overlapping windows"),
  dedup_key: z.string().describe("what alerting deduplicates on: finding id"),
  kind: z.enum(["account", "cluster"]),
  subject: z.string().describe("account id, or cluster label"),
  severity: Severity,
  score: z.number().min(0).max(1),
  title: z.string(),
  why: z.string().describe("one line: the strongest reasons"),
  accounts: z.array(z.string()).min(1),
  context_accounts: z
    .array(z.string())
    .describe(
      "accounts tied to a cluster too weakly to share its verdict: reported for context, not flagged; empty for accounts",
    ),
  axes: AxisScores.describe("the evidence on each axis after its cap; the score fuses them by noisy-OR"),
  gate: z
    .string()
    .nullable()
    .describe("why the score was held below medium (no harvest evidence, or one axis alone), or null"),
  signals: z.array(Signal),
  evidence: Evidence,
  links: z.array(ClusterLink).describe("traits linking the accounts of a cluster; empty for accounts"),
  attachments: z
    .array(MemberAttachment)
    .describe("what holds each active member of a cluster in it; empty for accounts and hand-built clusters"),
  recommended_action: z.string(),
  runbook: z.array(z.string()).describe("runbook steps from the detectors that fired"),
});
export type Finding = z.infer<typeof Finding>;

export const DetectorRun = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(["ran", "skipped"]),
  reason: z.string().nullable(),
  accounts_signalled: z.number().int().min(0),
});
export type DetectorRun = z.infer<typeof DetectorRun>;

const FileProblem = z.object({
  file: z.string().describe("path relative to the log root; a folder ends with /"),
  reason: z.string(),
});

export const DataQuality = z.object({
  requests_read: z
    .number()
    .int()
    .min(0)
    .describe("requests_accepted + outside_window + the sum of rejected: every record read, once"),
  requests_accepted: z.number().int().min(0),
  outside_window: z
    .number()
    .int()
    .min(0)
    .describe("valid records of the scanned partitions outside the audit window: counted, not audited"),
  rejected: z.record(z.string(), z.number().int().min(0)).describe("records set aside, by reason"),
  files_read: z.number().int().min(0),
  unreadable_files: z
    .array(FileProblem)
    .describe("files of the window that could not be read, or only in part, with the reason"),
  skipped_files: z
    .array(FileProblem)
    .describe("entries under the log root that are not log files, with the reason"),
  accounts_available: z.boolean(),
  accounts: z
    .object({
      read: z.number().int().min(0),
      accepted: z.number().int().min(0),
      rejected: z.record(z.string(), z.number().int().min(0)),
    })
    .nullable()
    .describe(
      "accounts table rows: read = accepted + the sum of rejected; null when the engine does not count them",
    ),
  field_coverage: z
    .record(z.string(), z.number().min(0).max(1))
    .describe("share of accepted requests with the optional field"),
  notes: z
    .array(z.string())
    .describe("what the audit had to assume about the data, e.g. model caps inferred from traffic"),
});
export type DataQuality = z.infer<typeof DataQuality>;

export const RunInfo = z.object({
  run_id: z.string(),
  schedule: z.string(),
  window_start: z.iso.datetime(),
  window_end: z.iso.datetime(),
  /** The time the audit is as of: the scheduled time, or the window end for ad-hoc runs, so that
   *  re-running a window reproduces the document byte for byte. Execution details live in the manifest. */
  generated_at: z.iso.datetime(),
  engine: z.enum(["duckdb", "athena"]),
  code_version: z.string(),
  config_sha256: z.string(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const FindingsDocument = z.object({
  schema_version: z.literal(FINDINGS_SCHEMA_VERSION),
  run: RunInfo,
  findings: z.array(Finding),
  detectors: z.array(DetectorRun),
  data_quality: DataQuality,
});
export type FindingsDocument = z.infer<typeof FindingsDocument>;

export function findingsJsonSchema(): object {
  return z.toJSONSchema(FindingsDocument, { target: "draft-2020-12" });
}
