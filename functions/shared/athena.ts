import type { AthenaClient } from "@aws-sdk/client-athena";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";
import { FeatureCompactor } from "../../lib/engine/athena/features.ts";
import { AthenaRunner } from "../../lib/engine/athena/runner.ts";
import { SHARED_PREFIX } from "../../lib/engine/athena/shared.ts";
import type { CompactEnvironment } from "./environment.ts";

export interface AthenaClients {
  readonly athena: AthenaClient;
  readonly glue: GlueClient;
  readonly s3: S3Client;
}

export interface AthenaTuning {
  /** Poll delays; tests shrink them. */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Leave this much of the invocation to stop queries, write what is done and report the error. */
export const DEADLINE_MARGIN_MS = 30_000;

/**
 * The Athena runner, the feature compactor, and where shared relations are written (in the
 * features bucket, beside the features), wired from the function's environment.
 */
export function athenaServices(
  clients: AthenaClients,
  env: CompactEnvironment,
  remainingMs: () => number,
  tuning: AthenaTuning = {},
): { runner: AthenaRunner; compactor: FeatureCompactor; sharedLocation: string } {
  const runner = new AthenaRunner({
    client: clients.athena,
    workGroup: env.ATHENA_WORKGROUP,
    database: env.GLUE_DATABASE,
    remainingMs,
    deadlineMarginMs: DEADLINE_MARGIN_MS,
    ...tuning,
  });
  const compactor = new FeatureCompactor({
    runner,
    glue: clients.glue,
    s3: clients.s3,
    database: env.GLUE_DATABASE,
    bucket: env.FEATURES_BUCKET,
    prefix: env.FEATURES_PREFIX,
    logs: { bucket: env.LOG_BUCKET, prefix: env.LOG_PREFIX },
    settleMs: env.SETTLE_MINUTES * 60_000,
  });
  return { runner, compactor, sharedLocation: `s3://${env.FEATURES_BUCKET}/${SHARED_PREFIX}` };
}
