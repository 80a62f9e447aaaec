import type { Duration } from "aws-cdk-lib";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledgeWildcardAction } from "../nag.ts";
import type { Alerts } from "./alerts.ts";
import type { FeatureCompaction } from "./feature-compaction.ts";
import { AuditLambda } from "./lambda-function.ts";
import type { ResultsBucket } from "./results-bucket.ts";

export interface AuditorProps {
  readonly features: FeatureCompaction;
  readonly results: ResultsBucket;
  readonly alerts: Alerts;
  readonly functionName: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly auditConfigPath: string | null;
  readonly failureQueue: sqs.IQueue;
}

/**
 * The audit Lambda: the CLI's pipeline over the Athena engine, writing bundles to the results
 * bucket and digests to the alert topic. It may compact features itself when a day is missing,
 * so it holds the compactor's permissions too.
 */
export class Auditor extends Construct {
  readonly lambda: AuditLambda;

  constructor(scope: Construct, id: string, props: AuditorProps) {
    super(scope, id);
    this.lambda = new AuditLambda(this, "Audit", {
      entry: "functions/audit.ts",
      functionName: props.functionName,
      description: "Audits a window of request logs for distillation campaigns",
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: {
        ...props.features.environment(),
        RESULTS_BUCKET: props.results.bucket.bucketName,
        ALERT_TOPIC_ARN: props.alerts.alertTopic.topicArn,
      },
      auditConfigPath: props.auditConfigPath,
      failureQueue: props.failureQueue,
    });
    props.features.grantCompact(this.lambda.role);
    props.features.grantSharedRelations(this.lambda.role);
    props.results.grantPublish(this.lambda.role);
    props.alerts.alertTopic.grantPublish(this.lambda.role);
    acknowledgeWildcardAction(
      this.lambda.role,
      "kms:GenerateDataKey*",
      "Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* (SNS documents the wildcard form); " +
        "the statement is limited to the alerts topic's own key.",
    );
  }
}
