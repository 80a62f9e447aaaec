import { loadModelCatalogue } from "./config/catalogue.ts";
import { type AuditConfig, configSha256 } from "./config/config.ts";
import { configuredDetectors } from "./detectors/registry.ts";
import type { DetectorContext } from "./detectors/types.ts";
import type { AccountSignal, Cluster, ClusterSignal } from "./domain/signal.ts";
import { severityRank } from "./domain/signal.ts";
import type { AuditWindow, PreparedWindow, QueryEngine, QueryStats } from "./engine/port.ts";
import { windowParams } from "./engine/port.ts";
import { accountFindings, clusterFindings, withEvidence } from "./findings/assemble.ts";
import { gatherEvidence } from "./findings/evidence.ts";
import {
  type DataQuality,
  type DetectorRun,
  FINDINGS_SCHEMA_VERSION,
  type Finding,
  type FindingsDocument,
} from "./findings/model.ts";
import { scoreAccounts } from "./scoring/fuse.ts";

export interface AuditRequest {
  readonly window: AuditWindow;
  /** Name of the schedule (or "adhoc"); with the window it makes the run id. */
  readonly schedule: string;
  readonly config: AuditConfig;
  readonly codeVersion: string;
  /** The time the audit is as of (scheduled time); defaults to the window end. */
  readonly asOf?: Date;
}

export interface AuditOutcome {
  readonly document: FindingsDocument;
  /** Every query the audit ran, for the manifest (volatile: not part of findings.json). */
  readonly queries: readonly QueryStats[];
  /** Wall time of each stage, for progress output and benchmarks. */
  readonly timings: Readonly<Record<"features" | "detectors" | "scoring", number>>;
}

export type AuditProgress = (stage: string) => void;

function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** The run id depends only on the schedule and the window: re-running a window reuses its keys. */
export function runId(schedule: string, window: AuditWindow): string {
  return `${schedule}-${compactUtc(window.start)}-${compactUtc(window.end)}`;
}

interface QualityRow {
  [key: string]: string | number;
  outcome: string;
  requests: number;
}

async function dataQuality(
  engine: QueryEngine,
  window: AuditWindow,
  prepared: PreparedWindow,
): Promise<{ quality: DataQuality; stats: QueryStats }> {
  const result = await engine.run<QualityRow>("data_quality", windowParams(window));
  const rejected: Record<string, number> = { ...prepared.readerRejects };
  let accepted: QualityRow | undefined;
  let outsideWindow = 0;
  for (const row of result.rows) {
    if (row.outcome === "accepted") accepted = row;
    else if (row.outcome === "outside_window") outsideWindow = row.requests;
    else rejected[row.outcome] = (rejected[row.outcome] ?? 0) + row.requests;
  }
  const acceptedCount = accepted?.requests ?? 0;
  const coverage: Record<string, number> = {};
  for (const [key, value] of Object.entries(accepted ?? {})) {
    if (key.startsWith("with_")) {
      coverage[key.slice(5)] =
        acceptedCount === 0 ? 0 : Math.round((Number(value) / acceptedCount) * 10000) / 10000;
    }
  }
  // Every reason counts records (file-level problems are in unreadable_files and skipped_files),
  // so the records read are the sum of the outcomes.
  const rejectedCount = Object.values(rejected).reduce((n, v) => n + v, 0);
  return {
    quality: {
      notes: [],
      requests_read: acceptedCount + outsideWindow + rejectedCount,
      requests_accepted: acceptedCount,
      outside_window: outsideWindow,
      rejected,
      files_read: prepared.filesRead,
      unreadable_files: [...prepared.unreadableFiles],
      skipped_files: [...prepared.skippedFiles],
      accounts_available: prepared.accountsAvailable,
      accounts: prepared.accounts,
      field_coverage: coverage,
    },
    stats: result.stats,
  };
}

/** Why a detector cannot run on this data, or null when it can. */
function missingRequirement(
  requires: { fields?: readonly string[]; accounts?: boolean },
  quality: DataQuality,
): string | null {
  if (requires.accounts && !quality.accounts_available) return "no accounts table in the logs";
  const absent = (requires.fields ?? []).filter((f) => (quality.field_coverage[f] ?? 0) === 0);
  return absent.length > 0 ? `no request carries ${absent.join(", ")}` : null;
}

/**
 * The audit pipeline, written once for the CLI and the Lambda: prepare the window (feature
 * stage), measure data quality, run the detectors stage by stage, score, and assemble findings
 * with their evidence.
 */
export async function runAudit(
  engine: QueryEngine,
  request: AuditRequest,
  progress: AuditProgress = () => {},
): Promise<AuditOutcome> {
  const { window, config } = request;
  const queries: QueryStats[] = [];
  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };

  progress("feature stage: reading requests");
  const prepared = await engine.prepare(window);
  queries.push(...prepared.stats);
  const { quality, stats: qualityStats } = await dataQuality(engine, window, prepared);
  queries.push(qualityStats);
  const { catalogue: models, stats: usageStats } = await loadModelCatalogue(engine, window, config.models);
  queries.push(usageStats);
  const inferenceNote = models.inferenceNote();
  if (inferenceNote !== null) quality.notes.push(inferenceNote);
  const featuresMs = lap();

  const detectors = configuredDetectors(config);
  const detectorRuns: DetectorRun[] = [];
  const accountSignals: AccountSignal[] = [];
  const clusterSignals: ClusterSignal[] = [];
  let clusters: readonly Cluster[] = [];
  for (const stage of ["account", "linkage", "cluster"] as const) {
    const context: DetectorContext = {
      engine,
      window,
      config,
      models,
      prepared,
      coverage: quality.field_coverage,
      clusters,
    };
    const inStage = detectors.filter((d) => d.detector.stage === stage);
    const results = await Promise.all(
      inStage.map(async ({ detector, thresholds }) => {
        const missing = missingRequirement(detector.requires, quality);
        if (missing !== null) return { detector, missing, result: null };
        progress(`detector ${detector.id}`);
        return { detector, missing, result: await detector.run(context, thresholds) };
      }),
    );
    for (const { detector, missing, result } of results) {
      if (result === null) {
        detectorRuns.push({
          id: detector.id,
          title: detector.title,
          status: "skipped",
          reason: missing,
          accounts_signalled: 0,
        });
        continue;
      }
      queries.push(...result.stats);
      accountSignals.push(...result.accountSignals);
      clusterSignals.push(...(result.clusterSignals ?? []));
      if (result.clusters) clusters = [...clusters, ...result.clusters];
      const signalled = new Set(result.accountSignals.filter((s) => s.signal.fired).map((s) => s.account));
      detectorRuns.push({
        id: detector.id,
        title: detector.title,
        status: "ran",
        reason: result.notes && result.notes.length > 0 ? result.notes.join("; ") : null,
        accounts_signalled: signalled.size,
      });
    }
  }
  const detectorsMs = lap();

  progress("scoring and evidence");
  const weights = new Map(detectors.map((d) => [d.detector.id, d.weight]));
  const scores = scoreAccounts(accountSignals, weights, config);
  const drafts = [
    ...clusterFindings(clusters, clusterSignals, scores, config),
    ...accountFindings(scores.values(), config),
  ];
  const { evidence, stats: evidenceStats } = await gatherEvidence(
    engine,
    window,
    drafts.map((d) => ({ key: d.id, accounts: d.accounts })),
    config.report,
  );
  queries.push(...evidenceStats);
  const runbooks = new Map(detectors.map((d) => [d.detector.id, d.detector.runbook]));
  const findings: Finding[] = drafts
    .map((d) => withEvidence(d, evidence.get(d.id), runbooks))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) || b.score - a.score || a.id.localeCompare(b.id),
    );
  const scoringMs = lap();

  const document: FindingsDocument = {
    schema_version: FINDINGS_SCHEMA_VERSION,
    run: {
      run_id: runId(request.schedule, window),
      schedule: request.schedule,
      window_start: window.start.toISOString(),
      window_end: window.end.toISOString(),
      generated_at: (request.asOf ?? window.end).toISOString(),
      engine: engine.name,
      code_version: request.codeVersion,
      config_sha256: configSha256(config),
    },
    findings,
    detectors: detectorRuns,
    data_quality: quality,
  };
  return { document, queries, timings: { features: featuresMs, detectors: detectorsMs, scoring: scoringMs } };
}
