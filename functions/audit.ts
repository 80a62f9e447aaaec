import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { AthenaClient } from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { runAudit } from "../lib/audit.ts";
import { type AuditConfig, loadConfig } from "../lib/config/config.ts";
import { SEVERITIES } from "../lib/domain/signal.ts";
import { AthenaEngine } from "../lib/engine/athena/engine.ts";
import { SnsNotifier } from "../lib/notify/sns.ts";
import { publishAudit } from "../lib/report/publish.ts";
import { LOCK_TTL_MS } from "../lib/store/run-lock.ts";
import { S3ReportStore } from "../lib/store/s3.ts";
import { CODE_VERSION } from "../lib/version.ts";
import { type AthenaClients, type AthenaTuning, athenaServices } from "./shared/athena.ts";
import { AuditEnvironment, readEnvironment } from "./shared/environment.ts";
import { resolveRun } from "./shared/event.ts";
import { logger, metrics, RunFailedError, safeMessage } from "./shared/observability.ts";

/**
 * The audit Lambda: validate the event, resolve the window, run the same pipeline as the CLI on
 * the Athena engine, write the bundle to S3, publish the digest to SNS, and report metrics (the
 * `AuditSucceeded` heartbeat only after everything is written).
 */

export interface AuditSummary {
  readonly runId: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly findings: number;
  readonly findingsBySeverity: Readonly<Record<string, number>>;
  readonly daysCompacted: number;
  readonly bytesScanned: number;
  readonly reportPrefix: string;
  readonly reportUri: string;
  readonly alerted: number;
  readonly messageId: string | null;
}

export interface AuditDependencies extends AthenaClients {
  readonly sns: SNSClient;
  readonly env: AuditEnvironment;
  readonly tuning?: AthenaTuning;
}

let cachedConfig: { path: string | undefined; config: AuditConfig } | undefined;

/** The audit configuration bundled with the code, read once per container. */
function auditConfig(path: string | undefined): AuditConfig {
  if (cachedConfig === undefined || cachedConfig.path !== path)
    cachedConfig = { path, config: loadConfig(path) };
  return cachedConfig.config;
}

export function s3ConsoleUrl(region: string, bucket: string, key: string): string {
  return `https://${region}.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&prefix=${encodeURIComponent(key)}`;
}

export function createAuditHandler(deps: AuditDependencies) {
  return async (event: unknown, context: Context): Promise<AuditSummary> => {
    const run = resolveRun(event);
    const env = deps.env;
    const config = auditConfig(env.DISTILL_AUDIT_CONFIG_FILE);
    const started = performance.now();
    const { runner, compactor, sharedLocation } = athenaServices(
      deps,
      env,
      () => context.getRemainingTimeInMillis(),
      deps.tuning,
    );
    const runSeedBase = `${run.schedule}|${run.window.start.toISOString()}|${run.window.end.toISOString()}`;
    const engine = new AthenaEngine({
      runner,
      compactor,
      runSeed: run.nonce ? `${runSeedBase}|${run.nonce}` : runSeedBase,
      recompact: run.recompact,
      sharedLocation,
    });
    logger.appendKeys({
      schedule: run.schedule,
      windowStart: run.window.start.toISOString(),
      windowEnd: run.window.end.toISOString(),
    });
    try {
      const outcome = await runAudit(engine, {
        window: run.window,
        schedule: run.schedule,
        config,
        codeVersion: CODE_VERSION,
        asOf: run.asOf,
      });
      const store = new S3ReportStore({ client: deps.s3, bucket: env.RESULTS_BUCKET });
      const published = await publishAudit(outcome, config, {
        store,
        notifier: new SnsNotifier({ client: deps.sns, topicArn: env.ALERT_TOPIC_ARN }),
        consoleUrl: (key) => s3ConsoleUrl(env.AWS_REGION, env.RESULTS_BUCKET, key),
        // Wait for an overlapping run of this window while the invocation has time; a busy lock
        // then fails the invocation, and Lambda's retry comes back once the other run is done.
        lock: {
          waitMs: Math.max(0, Math.min(LOCK_TTL_MS + 10_000, context.getRemainingTimeInMillis() - 60_000)),
        },
      });

      const { document } = outcome;
      const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
      for (const finding of document.findings)
        bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
      const bytesScanned = outcome.queries.reduce((n, q) => n + (q.bytesScanned ?? 0), 0);
      const daysCompacted = outcome.queries.filter((q) => q.query.startsWith("features@")).length;
      for (const severity of SEVERITIES) {
        const single = metrics.singleMetric();
        single.addDimension("severity", severity);
        single.addMetric("Findings", MetricUnit.Count, bySeverity[severity] ?? 0);
      }
      metrics.addMetric("BytesScanned", MetricUnit.Bytes, bytesScanned);
      metrics.addMetric("AuditDuration", MetricUnit.Milliseconds, Math.round(performance.now() - started));
      metrics.addMetric("QueriesRun", MetricUnit.Count, outcome.queries.length);
      metrics.addMetric("DaysCompacted", MetricUnit.Count, daysCompacted);
      metrics.addMetric("AlertsSent", MetricUnit.Count, published.alerted.length);
      metrics.addMetric("AuditSucceeded", MetricUnit.Count, 1);

      const summary: AuditSummary = {
        runId: document.run.run_id,
        windowStart: document.run.window_start,
        windowEnd: document.run.window_end,
        findings: document.findings.length,
        findingsBySeverity: bySeverity,
        daysCompacted,
        bytesScanned,
        reportPrefix: published.reportPrefix,
        reportUri: store.locate(`${published.reportPrefix}/report.html`),
        alerted: published.alerted.length,
        messageId: published.messageId,
      };
      // Counts and ids only: findings hold account ids and template excerpts, which stay in S3.
      logger.info("audit finished", {
        ...summary,
        requestsAccepted: document.data_quality.requests_accepted,
        filesWritten: published.written,
        filesUnchanged: published.unchanged,
        queries: outcome.queries.map((q) => ({
          query: q.query,
          executionId: q.executionId,
          bytesScanned: q.bytesScanned,
        })),
      });
      return summary;
    } catch (error) {
      logger.error("audit failed", {
        errorName: error instanceof Error ? error.name : "Error",
        errorMessage: safeMessage(error),
      });
      throw new RunFailedError(error);
    } finally {
      logger.removeKeys(["schedule", "windowStart", "windowEnd"]);
      await engine.close();
    }
  };
}

let defaultHandler: ReturnType<typeof createAuditHandler> | undefined;

/** Clients live outside the handler so warm invocations reuse their connections. */
function lambdaHandler(event: unknown, context: Context): Promise<AuditSummary> {
  defaultHandler ??= createAuditHandler({
    athena: new AthenaClient({}),
    glue: new GlueClient({}),
    s3: new S3Client({}),
    sns: new SNSClient({}),
    env: readEnvironment(AuditEnvironment),
  });
  return defaultHandler(event, context);
}

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
