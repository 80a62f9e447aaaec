import type { z } from "zod";
import { loadModelCatalogue } from "../../lib/config/catalogue.ts";
import { type AuditConfig, parseConfig } from "../../lib/config/config.ts";
import type { Detector, DetectorResult } from "../../lib/detectors/types.ts";
import type { Cluster } from "../../lib/domain/signal.ts";
import { DuckDbEngine } from "../../lib/engine/duckdb/engine.ts";
import type { AuditWindow } from "../../lib/engine/port.ts";
import { DAY } from "./logs.ts";

export interface StageOptions {
  readonly overrides?: Record<string, unknown>;
  readonly config?: AuditConfig;
  readonly window?: AuditWindow;
  /** Clusters from the linkage stage, for cluster-stage detectors. */
  readonly clusters?: readonly Cluster[];
  /** Share of requests with each optional field, as the pipeline measures it. */
  readonly coverage?: Record<string, number>;
}

/**
 * Runs one detector over a log folder the way the pipeline does: the feature stage first, then
 * the detector with its thresholds parsed from the overrides, the given clusters and coverage.
 */
export async function runStage<T extends z.ZodType>(
  detector: Detector<T>,
  logsDir: string,
  options: StageOptions = {},
): Promise<DetectorResult> {
  const window = options.window ?? DAY;
  const engine = await DuckDbEngine.open({ logsDir, threads: 2 });
  try {
    const prepared = await engine.prepare(window);
    const thresholds = detector.thresholds.parse(options.overrides ?? {}) as z.infer<T>;
    const config = options.config ?? parseConfig({});
    const { catalogue: models } = await loadModelCatalogue(engine, window, config.models);
    return await detector.run(
      {
        engine,
        window,
        config,
        models,
        prepared,
        coverage: options.coverage ?? { source_ip: 1, user_agent: 1, source_asn: 1, source_country: 1 },
        clusters: options.clusters ?? [],
      },
      thresholds,
    );
  } finally {
    await engine.close();
  }
}

/** The cluster-level signal a detector measured for a cluster, by name. */
export function clusterSignal(result: DetectorResult, cluster: string, name: string) {
  return result.clusterSignals?.find((s) => s.cluster === cluster && s.signal.name === name)?.signal;
}
