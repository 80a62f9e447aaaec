import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { type AuditConfig, describeIssues, loadConfig } from "../lib/config/config.ts";
import { configuredDetectors } from "../lib/detectors/registry.ts";
import { SEVERITIES, Severity } from "../lib/domain/signal.ts";

/**
 * The deployment configuration: everything that differs between installations, in one typed,
 * validated JSON file (see infra/deploy.example.json). Chosen at synth time with
 * `npx cdk deploy -c config=path/to/deploy.json`.
 */

const BucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be an S3 bucket name (lowercase letters, digits, dots, hyphens)",
  );
/** "" or a key prefix ending in "/", without characters that need escaping in ARNs or SQL. */
const KeyPrefix = z
  .string()
  .regex(/^([A-Za-z0-9_.=-]+\/)*$/, 'must be empty or end with "/" (letters, digits, _ . = - only)');
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD");
const Minute = z.number().int().min(0).max(59);
const HourUtc = z.number().int().min(0).max(23);

export const DeployConfigSchema = z
  .object({
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)
      .default("DistillAudit"),
    /** Names of the workgroup, Glue database, functions and topics start with this. */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,24}$/)
      .default("distill-audit"),
    env: z
      .object({
        account: z
          .string()
          .regex(/^\d{12}$/)
          .optional(),
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
          .optional(),
      })
      .strict()
      .default({}),
    logs: z
      .object({
        /** The existing bucket the API gateway writes request logs to (imported, never modified). */
        bucket: BucketName,
        /** Root of the log layout: <prefix>requests/dt=YYYY-MM-DD/… and <prefix>accounts/…. */
        prefix: KeyPrefix.default(""),
        format: z.enum(["json", "parquet"]),
        /** First day with logs: the start of the partition projection range. */
        firstDay: IsoDay,
        /** KMS key the log objects are encrypted with, when not SSE-S3. */
        kmsKeyArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/)
          .optional(),
      })
      .strict(),
    athena: z
      .object({
        /** Athena cancels any query scanning more than this (the workgroup enforces it). */
        bytesScannedCutoffPerQuery: z
          .number()
          .int()
          .min(10 * 1024 ** 2)
          .default(1024 ** 4),
        /** Days query results (CSV and UNLOAD manifests) are kept. */
        queryResultsRetentionDays: z.number().int().min(1).max(365).default(7),
      })
      .strict()
      .default({ bytesScannedCutoffPerQuery: 1024 ** 4, queryResultsRetentionDays: 7 }),
    compaction: z
      .object({
        /** Compact the current day every hour (ahead of the hourly audit). */
        hourly: z
          .object({ enabled: z.boolean().default(true), minute: Minute.default(35) })
          .strict()
          .default({ enabled: true, minute: 35 }),
        /** Recompact the previous day once it is complete, picking up late log deliveries. */
        seal: z
          .object({ hourUtc: HourUtc.default(1), minute: Minute.default(15) })
          .strict()
          .default({ hourUtc: 1, minute: 15 }),
        /** Data for an instant is trusted complete this many minutes after it (log delivery lag). */
        settleMinutes: z.number().int().min(0).max(720).default(15),
        /** Days compact features are kept (detectors and history queries read them). */
        retentionDays: z.number().int().min(7).default(400),
      })
      .strict()
      .default({
        hourly: { enabled: true, minute: 35 },
        seal: { hourUtc: 1, minute: 15 },
        settleMinutes: 15,
        retentionDays: 400,
      }),
    schedules: z
      .object({
        hourly: z
          .object({
            enabled: z.boolean().default(true),
            minute: Minute.default(45),
            /** The audit covers the last N whole hours before the scheduled time. */
            windowHours: z.number().int().min(1).max(72).default(6),
          })
          .strict()
          .default({ enabled: true, minute: 45, windowHours: 6 }),
        daily: z
          .object({
            enabled: z.boolean().default(true),
            hourUtc: HourUtc.default(3),
            minute: Minute.default(0),
            /** The audit covers the N whole days before the scheduled day (1 = the previous day). */
            lookbackDays: z.number().int().min(1).max(31).default(7),
          })
          .strict()
          .default({ enabled: true, hourUtc: 3, minute: 0, lookbackDays: 7 }),
      })
      .strict()
      .default({
        hourly: { enabled: true, minute: 45, windowHours: 6 },
        daily: { enabled: true, hourUtc: 3, minute: 0, lookbackDays: 7 },
      }),
    alerts: z
      .object({
        /** Subscribed to alert digests; each address must confirm the subscription e-mail. */
        emails: z.array(z.email()).default([]),
        /** E-mail subscribers only receive digests whose highest severity is at least this. */
        minSeverity: Severity.default("high"),
        /** Subscribed to the ops topic: alarms and failed invocations. */
        opsEmails: z.array(z.email()).default([]),
      })
      .strict()
      .default({ emails: [], minSeverity: "high", opsEmails: [] }),
    /** The audit configuration (thresholds, allowlists, …), relative to this file; defaults when absent. */
    auditConfigFile: z.string().min(1).optional(),
    results: z
      .object({
        /** Days report objects are kept before they expire. */
        retentionDays: z.number().int().min(1).default(730),
        /** Days superseded object versions are kept. */
        noncurrentVersionDays: z.number().int().min(1).default(30),
        /** S3 Object Lock for auditors: every object version is immutable for `days`. */
        objectLock: z
          .object({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1).max(36_500) })
          .strict()
          .nullable()
          .default(null),
      })
      .strict()
      .default({ retentionDays: 730, noncurrentVersionDays: 30, objectLock: null })
      .refine((r) => r.objectLock === null || r.retentionDays >= r.objectLock.days, {
        message: "retentionDays must be at least objectLock.days (locked versions cannot expire earlier)",
      }),
    functions: z
      .object({
        auditMemoryMb: z.number().int().min(256).max(10_240).default(1024),
        compactMemoryMb: z.number().int().min(256).max(10_240).default(512),
        timeoutMinutes: z.number().int().min(1).max(15).default(15),
      })
      .strict()
      .default({ auditMemoryMb: 1024, compactMemoryMb: 512, timeoutMinutes: 15 }),
    monitoring: z
      .object({
        /** Alarm when no audit succeeded for this long; defaults to 2 h with hourly audits, else 1 day. */
        heartbeatHours: z.number().int().min(1).max(24).optional(),
        /** Alarm when audits and compaction scan more than this per UTC day. */
        dailyScanBudgetBytes: z
          .number()
          .int()
          .min(1)
          .default(500 * 1024 ** 3),
      })
      .strict()
      .default({ dailyScanBudgetBytes: 500 * 1024 ** 3 }),
  })
  .strict()
  .refine((c) => c.schedules.hourly.enabled || c.schedules.daily.enabled, {
    message: "enable at least one audit schedule (schedules.hourly or schedules.daily)",
  });

export type DeployConfigInput = z.input<typeof DeployConfigSchema>;

export interface DeployConfig extends z.infer<typeof DeployConfigSchema> {
  /** Absolute path of the audit configuration file, when one is given. */
  readonly auditConfigPath: string | null;
  /** The audit configuration it holds, validated (defaults when no file). */
  readonly audit: AuditConfig;
}

export class DeployConfigError extends Error {}

/** Validates a deployment configuration; `baseDir` resolves the audit configuration file. */
export function parseDeployConfig(
  raw: unknown,
  baseDir: string,
  source = "deployment configuration",
): DeployConfig {
  const parsed = DeployConfigSchema.safeParse(raw);
  if (!parsed.success) throw new DeployConfigError(`${source} is invalid:\n${describeIssues(parsed.error)}`);
  const auditConfigPath = parsed.data.auditConfigFile ? resolve(baseDir, parsed.data.auditConfigFile) : null;
  // Fail at synth, not at 3 a.m.: the audit config and every detector's thresholds are checked now.
  const audit = loadConfig(auditConfigPath ?? undefined);
  configuredDetectors(audit);
  return { ...parsed.data, auditConfigPath, audit };
}

export function loadDeployConfig(path: string): DeployConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DeployConfigError(`cannot read deployment configuration ${path}: ${(error as Error).message}`);
  }
  return parseDeployConfig(raw, dirname(resolve(path)), `deployment configuration ${path}`);
}

/** The numeric rank subscribers filter on (SNS attribute `severity_rank`). */
export function severityRankOf(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** How long without a successful audit before the heartbeat alarm fires. */
export function heartbeatHours(config: DeployConfig): number {
  return config.monitoring.heartbeatHours ?? (config.schedules.hourly.enabled ? 2 : 24);
}
