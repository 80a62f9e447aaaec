import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAudit } from "../audit.ts";
import type { AuditConfig } from "../config/config.ts";
import { DuckDbEngine } from "../engine/duckdb/engine.ts";
import { partitionsWindow } from "../engine/port.ts";
import { generateTraffic, readLabels, type TrafficMix } from "../generate/index.ts";
import { CODE_VERSION } from "../version.ts";
import {
  type Evaluation,
  EXTERNAL_TARGETS,
  evaluate,
  SUITE_TARGETS,
  type Targets,
  targetMisses,
} from "./metrics.ts";

/**
 * Mixes whose targets are measured, not gated: `npm run eval` prints their tables and misses but
 * they do not set its exit code. `adversarial` holds the failure shapes of issue 13 that the
 * detectors are being reworked to handle; gate it once they hold its targets.
 */
export const MEASURED_NOT_GATED_MIXES: readonly TrafficMix[] = ["adversarial"];

/**
 * The shared dev set (labelled traffic the project did not write), relative to the repository
 * root. Gated like the original mixes: a detection change that loses it fails `npm run eval`.
 */
export const DEFAULT_DEV_SET = "../shared/eval/dev-s3";

export interface EvaluatedRun {
  readonly name: string;
  readonly evaluation: Evaluation;
  readonly misses: string[];
  readonly auditMs: number;
  /** false: measured, not gated (its misses do not fail the suite) */
  readonly gated: boolean;
}

/** Audits a labelled log root on the local engine (whole data set) and scores it against its labels. */
export async function evaluateLogs(
  logs: string,
  labelsPath: string,
  config: AuditConfig,
  name = logs,
  gated = true,
  targets: Targets = EXTERNAL_TARGETS,
): Promise<EvaluatedRun> {
  const labels = await readLabels(labelsPath);
  const engine = await DuckDbEngine.open({ logsDir: logs });
  try {
    const partitions = engine.sources.partitions;
    const first = partitions[0] as string;
    const last = partitions[partitions.length - 1] as string;
    const window = partitionsWindow(first, last);
    const started = performance.now();
    const outcome = await runAudit(engine, { window, schedule: "eval", config, codeVersion: CODE_VERSION });
    const evaluation = evaluate(outcome.document, labels);
    return {
      name,
      evaluation,
      misses: targetMisses(evaluation, targets),
      auditMs: performance.now() - started,
      gated,
    };
  } finally {
    await engine.close();
  }
}

export interface SuiteOptions {
  readonly seeds: readonly number[];
  readonly mixes: readonly TrafficMix[];
  readonly requests: number;
  readonly days: number;
  /** Generated traffic is kept here and reused by later runs with the same parameters. */
  readonly cacheDir: string;
  readonly config: AuditConfig;
  readonly onRun?: (run: EvaluatedRun) => void;
}

/** Generates (once) and evaluates every seed × mix: the detectors must hold on the gated ones. */
export async function evaluateSuite(options: SuiteOptions): Promise<EvaluatedRun[]> {
  const runs: EvaluatedRun[] = [];
  for (const mix of options.mixes) {
    for (const seed of options.seeds) {
      const name = `${mix}-seed${seed}-${options.requests}r-${options.days}d`;
      const dir = join(options.cacheDir, name);
      if (!existsSync(join(dir, "labels.jsonl"))) {
        await generateTraffic({
          outDir: dir,
          requests: options.requests,
          days: options.days,
          seed,
          format: "parquet",
          mix,
        });
      }
      const gated = !MEASURED_NOT_GATED_MIXES.includes(mix);
      const run = await evaluateLogs(
        dir,
        join(dir, "labels.jsonl"),
        options.config,
        name,
        gated,
        SUITE_TARGETS,
      );
      options.onRun?.(run);
      runs.push(run);
    }
  }
  return runs;
}

/**
 * Evaluates a labelled data set written outside the project (`<dir>/labels.jsonl`), gated; null
 * when the directory or its labels are absent (a checkout without the shared sets).
 */
export async function evaluateExternal(
  dir: string,
  config: AuditConfig,
  name: string,
): Promise<EvaluatedRun | null> {
  const labels = join(dir, "labels.jsonl");
  if (!existsSync(join(dir, "requests")) || !existsSync(labels)) return null;
  return evaluateLogs(dir, labels, config, name, true);
}

/** The runs that fail the suite: gated runs that miss a target (measured-only runs never do). */
export function gatedFailures(runs: readonly EvaluatedRun[]): EvaluatedRun[] {
  return runs.filter((r) => r.gated && r.misses.length > 0);
}
