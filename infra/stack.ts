import { CfnOutput, Duration, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { type DeployConfig, heartbeatHours, severityRankOf } from "./config.ts";
import { Alerts } from "./constructs/alerts.ts";
import { Auditor } from "./constructs/auditor.ts";
import { accessLogsBucket } from "./constructs/buckets.ts";
import { FeatureCompaction } from "./constructs/feature-compaction.ts";
import { LogLake } from "./constructs/log-lake.ts";
import { Monitoring } from "./constructs/monitoring.ts";
import { QueryEngine } from "./constructs/query-engine.ts";
import { ResultsBucket } from "./constructs/results-bucket.ts";
import { Schedules } from "./constructs/schedules.ts";

export interface DistillAuditStackProps extends StackProps {
  readonly config: DeployConfig;
}

/**
 * The whole deployment: one construct per subsystem, each handed the resources it uses. Reading
 * top to bottom follows the data: logs → Athena → compact features → audit → results and alerts.
 */
export class DistillAuditStack extends Stack {
  readonly logLake: LogLake;
  readonly queryEngine: QueryEngine;
  readonly features: FeatureCompaction;
  readonly results: ResultsBucket;
  readonly alerts: Alerts;
  readonly auditor: Auditor;
  readonly schedules: Schedules;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: DistillAuditStackProps) {
    super(scope, id, props);
    // Server access logs are delivered under a bucket policy, not the legacy log-delivery ACL
    // (ACLs stay disabled on every bucket).
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
    const { config } = props;
    const name = config.name;
    const timeout = Duration.minutes(config.functions.timeoutMinutes);

    const dataKey = new kms.Key(this, "DataKey", {
      description: "distill-audit: query results, compact features and reports",
      enableKeyRotation: true,
    });
    const accessLogs = accessLogsBucket(this, "AccessLogs", 365);
    const failureQueue = new sqs.Queue(this, "FailedInvocations", {
      queueName: `${name}-failed-invocations`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the dead-letter destination itself (failed async Lambda invocations and undeliverable " +
        "Scheduler events); its messages are replayed by hand and an alarm fires while any wait.",
    });

    this.logLake = new LogLake(this, "LogLake", {
      databaseName: name.replaceAll("-", "_"),
      bucketName: config.logs.bucket,
      prefix: config.logs.prefix,
      format: config.logs.format,
      firstDay: config.logs.firstDay,
      kmsKeyArn: config.logs.kmsKeyArn,
    });
    this.queryEngine = new QueryEngine(this, "QueryEngine", {
      workGroupName: name,
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
      resultsRetentionDays: config.athena.queryResultsRetentionDays,
      encryptionKey: dataKey,
      accessLogs,
    });
    this.features = new FeatureCompaction(this, "FeatureCompaction", {
      logLake: this.logLake,
      queryEngine: this.queryEngine,
      encryptionKey: dataKey,
      accessLogs,
      retentionDays: config.compaction.retentionDays,
      settleMinutes: config.compaction.settleMinutes,
      functionName: `${name}-compact`,
      memorySize: config.functions.compactMemoryMb,
      timeout,
      auditConfigPath: config.auditConfigPath,
      failureQueue,
    });
    this.results = new ResultsBucket(this, "Results", {
      logLake: this.logLake,
      encryptionKey: dataKey,
      accessLogs,
      retentionDays: config.results.retentionDays,
      noncurrentVersionDays: config.results.noncurrentVersionDays,
      objectLock: config.results.objectLock,
      firstDay: config.logs.firstDay,
    });
    this.alerts = new Alerts(this, "Alerts", {
      topicNamePrefix: name,
      emails: config.alerts.emails,
      minSeverityRank: severityRankOf(config.alerts.minSeverity),
      opsEmails: config.alerts.opsEmails,
    });
    this.auditor = new Auditor(this, "Auditor", {
      features: this.features,
      results: this.results,
      alerts: this.alerts,
      functionName: `${name}-audit`,
      memorySize: config.functions.auditMemoryMb,
      timeout,
      auditConfigPath: config.auditConfigPath,
      failureQueue,
    });
    this.schedules = new Schedules(this, "Schedules", {
      auditFunction: this.auditor.lambda.function,
      compactFunction: this.features.lambda.function,
      deadLetterQueue: failureQueue,
      namePrefix: name,
      hourlyAudit: config.schedules.hourly,
      dailyAudit: config.schedules.daily,
      hourlyCompaction: config.compaction.hourly,
      sealCompaction: config.compaction.seal,
    });
    this.monitoring = new Monitoring(this, "Monitoring", {
      auditLambda: this.auditor.lambda,
      compactLambda: this.features.lambda,
      failureQueue,
      opsTopic: this.alerts.opsTopic,
      heartbeatHours: heartbeatHours(config),
      dailyScanBudgetBytes: config.monitoring.dailyScanBudgetBytes,
      dashboardName: name,
    });

    // What operators and auditors need to find (see infra/README-deploy.md).
    const outputs: Record<string, string> = {
      ResultsBucket: this.results.bucket.bucketName,
      FeaturesBucket: this.features.bucket.bucketName,
      AthenaWorkGroup: this.queryEngine.workGroupName,
      GlueDatabase: this.logLake.databaseName,
      AuditFunction: this.auditor.lambda.function.functionName,
      CompactFunction: this.features.lambda.function.functionName,
      AlertTopic: this.alerts.alertTopic.topicArn,
      OpsTopic: this.alerts.opsTopic.topicArn,
      FailureQueue: failureQueue.queueUrl,
    };
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value });
  }
}
