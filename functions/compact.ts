import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { AthenaClient } from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type AthenaClients, type AthenaTuning, athenaServices } from "./shared/athena.ts";
import { CompactEnvironment, readEnvironment } from "./shared/environment.ts";
import { resolveRun } from "./shared/event.ts";
import { logger, metrics, RunFailedError, safeMessage } from "./shared/observability.ts";

/**
 * The compaction Lambda: makes sure the compact feature partitions cover the event's window
 * (hourly: today up to the last whole hour; the daily "seal": the previous day, recompacted to
 * pick up late log deliveries). Audits would compact a missing day themselves; running this ahead
 * of them keeps the prompt-text scan out of the audit's time budget.
 */

export interface CompactSummary {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly compacted: readonly string[];
  readonly days: readonly { day: string; generation: string; coveredUntil: string }[];
  readonly bytesScanned: number;
}

export interface CompactDependencies extends AthenaClients {
  readonly env: CompactEnvironment;
  readonly tuning?: AthenaTuning;
}

export function createCompactHandler(deps: CompactDependencies) {
  return async (event: unknown, context: Context): Promise<CompactSummary> => {
    const run = resolveRun(event);
    const { compactor } = athenaServices(
      deps,
      deps.env,
      () => context.getRemainingTimeInMillis(),
      deps.tuning,
    );
    const seed = `${run.schedule}|${run.window.start.toISOString()}|${run.window.end.toISOString()}${run.nonce ? `|${run.nonce}` : ""}`;
    try {
      const result = await compactor.ensure(run.window, { seed, force: run.recompact });
      const bytesScanned = result.stats.reduce((n, s) => n + (s.bytesScanned ?? 0), 0);
      metrics.addMetric("BytesScanned", MetricUnit.Bytes, bytesScanned);
      metrics.addMetric("DaysCompacted", MetricUnit.Count, result.compacted.length);
      metrics.addMetric("CompactionSucceeded", MetricUnit.Count, 1);
      const summary: CompactSummary = {
        windowStart: run.window.start.toISOString(),
        windowEnd: run.window.end.toISOString(),
        compacted: result.compacted,
        days: result.days.map((d) => ({
          day: d.day,
          generation: d.generation,
          coveredUntil: d.coveredUntil.toISOString(),
        })),
        bytesScanned,
      };
      logger.info("compaction finished", { schedule: run.schedule, ...summary });
      return summary;
    } catch (error) {
      logger.error("compaction failed", {
        errorName: error instanceof Error ? error.name : "Error",
        errorMessage: safeMessage(error),
      });
      throw new RunFailedError(error);
    }
  };
}

let defaultHandler: ReturnType<typeof createCompactHandler> | undefined;

function lambdaHandler(event: unknown, context: Context): Promise<CompactSummary> {
  defaultHandler ??= createCompactHandler({
    athena: new AthenaClient({}),
    glue: new GlueClient({}),
    s3: new S3Client({}),
    env: readEnvironment(CompactEnvironment),
  });
  return defaultHandler(event, context);
}

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
