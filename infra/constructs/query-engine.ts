import { Duration, Stack } from "aws-cdk-lib";
import * as athena from "aws-cdk-lib/aws-athena";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledgeWildcardResources, OBJECT_PREFIX_REASON } from "../nag.ts";
import { secureBucket } from "./buckets.ts";

export interface QueryEngineProps {
  readonly workGroupName: string;
  /** Athena cancels any query that would scan more. */
  readonly bytesScannedCutoffPerQuery: number;
  readonly resultsRetentionDays: number;
  readonly encryptionKey: kms.IKey;
  readonly accessLogs: s3.IBucket;
}

export const QUERY_RESULTS_PREFIX = "athena/";

/**
 * The Athena workgroup every query runs in. Its configuration is enforced, so no client can turn
 * off result encryption, the engine version or the per-query scan cutoff.
 */
export class QueryEngine extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly workGroupName: string;
  readonly resultsBucket: s3.Bucket;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: QueryEngineProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.workGroupName = props.workGroupName;
    this.resultsBucket = secureBucket(this, "ResultsBucket", {
      encryptionKey: props.encryptionKey,
      accessLogs: props.accessLogs,
      accessLogPrefix: "athena-results/",
      lifecycleRules: [
        {
          id: "expire-query-results",
          prefix: QUERY_RESULTS_PREFIX,
          expiration: Duration.days(props.resultsRetentionDays),
        },
      ],
    });
    this.workGroup = new athena.CfnWorkGroup(this, "WorkGroup", {
      name: props.workGroupName,
      description: "distill-audit: scheduled audits and feature compaction",
      state: "ENABLED",
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${QUERY_RESULTS_PREFIX}`,
          expectedBucketOwner: Stack.of(this).account,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKey: props.encryptionKey.keyArn },
        },
      },
    });
  }

  workGroupArn(): string {
    return Stack.of(this).formatArn({
      service: "athena",
      resource: "workgroup",
      resourceName: this.workGroupName,
    });
  }

  /** Run queries in the workgroup and read their results (Athena writes them as the caller). */
  grantQuery(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "RunAthenaQueries",
        actions: [
          "athena:StartQueryExecution",
          "athena:GetQueryExecution",
          "athena:GetQueryResults",
          "athena:StopQueryExecution",
          "athena:GetWorkGroup",
        ],
        resources: [this.workGroupArn()],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "WriteQueryResults",
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        resources: [this.resultsBucket.arnForObjects(`${QUERY_RESULTS_PREFIX}*`)],
      }),
    );
    acknowledgeWildcardResources(
      grantee,
      [this.resultsBucket.arnForObjects(`${QUERY_RESULTS_PREFIX}*`)],
      `Athena writes each query's results under a key named by its execution id. ${OBJECT_PREFIX_REASON}`,
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "LocateQueryResults",
        actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        resources: [this.resultsBucket.bucketArn],
      }),
    );
    this.key.grant(grantee, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
  }
}
