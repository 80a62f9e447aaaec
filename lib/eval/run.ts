import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAudit } from "../audit.ts";
import type { AuditConfig } from "../config/config.ts";
import { DuckDbEngine } from "../engine/duckdb/engine.ts";
import { partitionsWindow } from "../engine/port.ts";
import { generateTraffic, readLabels, type TrafficMix } from "../generate/index.ts";
import { CODE_VERSION } from "../version.ts";
import { type Evaluation, evaluate, targetMisses } from "./metrics.ts";

export interface EvaluatedRun {
  readonly name: string;
  readonly evaluation: Evaluation;
  readonly misses: string[];
  readonly auditMs: number;
}

/** Audits a labelled log root on the local engine (whole data set) and scores it against its labels. */
export async function evaluateLogs(
  logs: string,
  labelsPath: string,
  config: AuditConfig,
  name = logs,
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
    return { name, evaluation, misses: targetMisses(evaluation), auditMs: performance.now() - started };
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

/** Generates (once) and evaluates every seed × mix: the detectors must hold on all of them. */
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
      const run = await evaluateLogs(dir, join(dir, "labels.jsonl"), options.config, name);
      options.onRun?.(run);
      runs.push(run);
    }
  }
  return runs;
}
